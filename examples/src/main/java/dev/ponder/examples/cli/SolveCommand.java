package dev.ponder.examples.cli;

import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.connect4.Connect4Solver;
import dev.ponder.examples.json.Json;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code connect4 solve}: the exact score of every column from the solver. */
@Command(name = "solve", mixinStandardHelpOptions = true,
    description = {"Solves a Connect Four position exactly and prints the score of each column 1-7.",
        "A score is from the view of the player to move: positive wins, 0 draws, negative loses; its size"
            + " is 22 minus the number of stones the winner has played when the game ends with best play.",
        "With --json: one line per playable column, then {\"summary\": {\"scores\": [...], ...}} with 7"
            + " scores (index 0 is column 1; null for a full column).",
        "Positions with many empty cells (fewer than about 8 stones) can take minutes."})
public final class SolveCommand implements Callable<Integer> {

  @Mixin
  private PositionOption position;

  @Mixin
  private OutputOption output;

  @Override
  public Integer call() {
    Connect4Position p = position.position();
    Printer printer = output.printer();
    Connect4Solver solver = new Connect4Solver();
    long start = System.nanoTime();
    int[] scores = solver.columnScores(p);
    double seconds = (System.nanoTime() - start) / 1e9;

    Integer[] column = new Integer[Connect4Position.WIDTH];
    int best = Integer.MIN_VALUE;
    printer.text("position " + (p.moves().isEmpty() ? "(empty)" : p.moves()) + ", " + Columns.stone(p.toPlay())
        + " to move");
    printer.text(p.render());
    printer.text("column  score");
    for (int col = 0; col < Connect4Position.WIDTH; col++) {
      if (scores[col] == Connect4Solver.FULL_COLUMN) {
        printer.text(String.format(Locale.ROOT, "%6d   full", col + 1));
        continue;
      }
      column[col] = scores[col];
      best = Math.max(best, scores[col]);
      printer.record(Json.object().put("column", col + 1).put("score", scores[col]));
      printer.text(String.format(Locale.ROOT, "%6d %6d", col + 1, scores[col]));
    }
    StringBuilder bestColumns = new StringBuilder();
    int count = 0;
    for (int col = 0; col < Connect4Position.WIDTH; col++) {
      if (column[col] != null && column[col] == best) {
        bestColumns.append(bestColumns.length() == 0 ? "" : ",").append(col + 1);
        count++;
      }
    }
    int[] bestArray = new int[count];
    for (int col = 0, k = 0; col < Connect4Position.WIDTH; col++) {
      if (column[col] != null && column[col] == best) {
        bestArray[k++] = col + 1;
      }
    }
    printer.text(String.format(Locale.ROOT, "score %d (%s), best column%s %s; %d nodes in %.2f s", best,
        best > 0 ? "win" : best < 0 ? "loss" : "draw", count > 1 ? "s" : "", bestColumns, solver.nodeCount(),
        seconds));
    printer.summary(Json.object().put("position", p.moves()).put("to_play", p.toPlay() + 1)
        .put("score", best).put("best", bestArray).put("scores", column).put("nodes", solver.nodeCount()));
    return 0;
  }
}
