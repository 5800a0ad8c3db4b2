package dev.ponder.examples.cli;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.json.Json;
import dev.ponder.mcts.ActionStats;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchResult;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code connect4 analyze}: searches a position and prints what the search found about each column. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
    description = {"Searches a Connect Four position (random-rollout MCTS with UCB1, or PUCT with a network"
        + " given by --model) and prints, per column"
        + " 1-7, the visits, the mean value Q (from the view of the player to move, in [-1, 1]) and the prior,"
        + " then the chosen column (1-7).",
        "With --json: one line per playable column, then {\"summary\": {\"chosen\": c, \"visits\": [...],"
            + " \"q\": [...], \"prior\": [...], ...}} with arrays of 7 (index 0 is column 1; null for a full"
            + " column, and q is null for a column never visited)."})
public final class AnalyzeCommand implements Callable<Integer> {

  @Mixin
  private PositionOption position;

  @Mixin
  private SearchOptions search;

  @Mixin
  private ModelOption model;

  @Mixin
  private OutputOption output;

  @Override
  public Integer call() {
    search.validate();
    Connect4Position p = position.position();
    Printer printer = output.printer();
    Connect4 game = new Connect4();
    SearchResult result;
    String searchedWith;
    try (SearchSetup<Connect4Position> setup = SearchSettings.connect4(game, model.model())) {
      Mcts<Connect4Position> mcts = new Mcts<>(game, setup.evaluator(), setup.config(search.seed));
      result = mcts.search(p, SearchSettings.budget(search.simulations));
      searchedWith = setup.description();
    }

    Integer[] visits = new Integer[Connect4Position.WIDTH];
    Double[] q = new Double[Connect4Position.WIDTH];
    Double[] prior = new Double[Connect4Position.WIDTH];
    printer.text("position " + (p.moves().isEmpty() ? "(empty)" : p.moves()) + ", " + Columns.stone(p.toPlay())
        + " to move");
    printer.text(p.render());
    printer.text("column   visits        q    prior");
    for (ActionStats a : result.actions()) {
      int col = a.action();
      visits[col] = a.visits();
      q[col] = Double.isNaN(a.q()) ? null : a.q();
      prior[col] = a.prior();
      printer.record(Json.object().put("column", col + 1).put("visits", a.visits()).put("q", a.q())
          .put("prior", a.prior()));
      printer.text(String.format(Locale.ROOT, "%6d %8d %8s %8s", col + 1, a.visits(), Columns.decimal(a.q()),
          Columns.decimal(a.prior())));
    }
    int chosen = result.action() + 1;
    printer.text(String.format(Locale.ROOT, "chosen column %d (root value %s, %d simulations, %s)", chosen,
        Columns.decimal(result.value()), result.stats().simulations(), searchedWith));
    printer.summary(Json.object().put("position", p.moves()).put("to_play", p.toPlay() + 1)
        .put("simulations", result.stats().simulations()).put("seed", search.seed)
        .put("model", model.model().map(Object::toString).orElse(null)).put("chosen", chosen)
        .put("value", result.value()).put("visits", visits).put("q", q).put("prior", prior));
    return 0;
  }
}
