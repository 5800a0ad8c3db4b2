package dev.ponder.examples.cli;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.json.Json;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code connect4 play}: a human plays Connect Four in the terminal against the search. */
@Command(name = "play", mixinStandardHelpOptions = true,
    description = {"Play Connect Four against the search: type a column 1-7 and Enter (q to quit).",
        "With --json, prompts and boards are left out and each move is a JSON line."})
public final class PlayCommand implements Callable<Integer> {

  @ParentCommand
  private Connect4Command parent;

  @Option(names = "--human-first", description = "You move first (you play X). Default: the search moves first.")
  private boolean humanFirst;

  @Mixin
  private SearchOptions search;

  @Mixin
  private ModelOption model;

  @Mixin
  private OutputOption output;

  @Override
  public Integer call() throws IOException {
    search.validate();
    Printer printer = output.printer();
    Connect4 game = new Connect4();
    try (SearchSetup<Connect4Position> setup = SearchSettings.connect4(game, model.model())) {
      return play(new Mcts<>(game, setup.evaluator(), setup.config(search.seed)), printer);
    }
  }

  /** Plays one game against {@code mcts}; returns the exit code (0). */
  private int play(Mcts<Connect4Position> mcts, Printer printer) {
    Connect4Position p = Connect4Position.empty();
    mcts.reset(p);
    int human = humanFirst ? 0 : 1;
    printer.text("You play " + Columns.stone(human) + ". Type a column 1-7 and Enter, q to quit.");
    while (!p.isTerminal()) {
      int col;
      String by;
      if (p.toPlay() == human) {
        printer.text("");
        printer.text(p.render());
        col = readMove(p, printer);
        if (col < 0) {
          printer.text("Game abandoned.");
          printer.summary(Json.object().put("moves", p.moves()).put("winner", null).put("finished", false));
          return 0;
        }
        by = "human";
      } else {
        SearchResult result = mcts.search(SearchSettings.budget(search.simulations));
        col = result.action();
        by = "ponder";
        printer.text(String.format(Locale.ROOT, "Ponder plays %d (value %s)", col + 1, Columns.decimal(result.value())));
      }
      p = p.play(col);
      printer.record(Json.object().put("move", p.moveCount()).put("by", by).put("column", col + 1));
      if (!p.isTerminal()) {
        mcts.advance(col);
      }
    }
    printer.text("");
    printer.text(p.render());
    String winner = !p.isWon() ? "draw" : (p.toPlay() == human ? "ponder" : "human");
    printer.text(switch (winner) {
      case "draw" -> "Draw.";
      case "human" -> "You win!";
      default -> "Ponder wins.";
    });
    printer.summary(Json.object().put("moves", p.moves()).put("winner", winner).put("finished", true));
    return 0;
  }

  /** Reads the human's column (0..6), asking again after bad input; -1 on end of input or quit. */
  private int readMove(Connect4Position p, Printer printer) {
    while (true) {
      printer.prompt("Your move (1-7): ");
      String line;
      try {
        line = parent.in().readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (line == null) {
        printer.text("");
        printer.text("End of input.");
        return -1;
      }
      line = line.trim();
      if (line.equalsIgnoreCase("q") || line.equalsIgnoreCase("quit")) {
        return -1;
      }
      if (line.length() != 1 || line.charAt(0) < '1' || line.charAt(0) > '7') {
        printer.error("'" + line + "' is not a column: type a digit 1-7 (q to quit)");
        continue;
      }
      int col = line.charAt(0) - '1';
      if (!p.canPlay(col)) {
        printer.error("column " + (col + 1) + " is full: choose another");
        continue;
      }
      return col;
    }
  }
}
