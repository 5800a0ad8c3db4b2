package dev.ponder.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.connect4.Connect4Solver;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code connect4 analyze} (with its default settings) must take an immediate win when there is one and
 * block the opponent's single immediate threat otherwise, as the exact solver says.
 */
class AnalyzeAgreesWithSolverTest {

  private static final int POSITIONS = 12;

  @Test
  void takesImmediateWins() {
    Connect4Solver solver = new Connect4Solver(1 << 18);
    SplittableRandom random = new SplittableRandom(11);
    int found = 0;
    while (found < POSITIONS) {
      Connect4Position p = randomPosition(random);
      if (p == null || !hasImmediateWin(p)) {
        continue;
      }
      found++;
      int[] scores = solver.columnScores(p);
      int chosen = analyze(p) - 1;
      assertEquals((43 - p.moveCount()) / 2, scores[chosen], "analyze " + p.moves() + " chose " + (chosen + 1));
      assertTrue(p.isWinningMove(chosen));
    }
  }

  @Test
  void blocksTheOnlyThreat() {
    Connect4Solver solver = new Connect4Solver(1 << 18);
    SplittableRandom random = new SplittableRandom(12);
    int found = 0;
    while (found < POSITIONS) {
      Connect4Position p = randomPosition(random);
      if (p == null || hasImmediateWin(p)) {
        continue;
      }
      int block = singleThreat(p);
      if (block < 0) {
        continue;
      }
      found++;
      int[] scores = solver.columnScores(p);
      int best = Integer.MIN_VALUE;
      for (int s : scores) {
        best = Math.max(best, s);
      }
      assertEquals(best, scores[block], "the solver agrees the block is best in " + p.moves());
      assertEquals(block + 1, analyze(p), "analyze " + p.moves() + " must block column " + (block + 1));
    }
  }

  private static int analyze(Connect4Position p) {
    CliRun run = CliRun.of("connect4", "analyze", "--position", p.moves(), "--simulations", "20000", "--json");
    assertEquals(0, run.code(), run.err());
    return Integer.parseInt(run.summaryValue("chosen"));
  }

  private static Connect4Position randomPosition(SplittableRandom random) {
    int stones = 8 + random.nextInt(25);
    Connect4Position p = Connect4Position.empty();
    while (!p.isTerminal() && p.moveCount() < stones) {
      int col = random.nextInt(7);
      if (p.canPlay(col)) {
        p = p.play(col);
      }
    }
    return p.isTerminal() ? null : p;
  }

  private static boolean hasImmediateWin(Connect4Position p) {
    for (int col = 0; col < 7; col++) {
      if (p.canPlay(col) && p.isWinningMove(col)) {
        return true;
      }
    }
    return false;
  }

  /** The one column where the opponent would win next move, or -1 if there are none or several. */
  private static int singleThreat(Connect4Position p) {
    int threat = -1;
    for (int col = 0; col < 7; col++) {
      if (!p.canPlay(col)) {
        continue;
      }
      // Playing elsewhere leaves this column's next cell as it is: can the opponent then win there?
      boolean opponentWins = false;
      for (int other = 0; other < 7 && !opponentWins; other++) {
        if (other != col && p.canPlay(other)) {
          Connect4Position q = p.play(other);
          opponentWins = !q.isTerminal() && q.canPlay(col) && q.isWinningMove(col);
        }
      }
      if (opponentWins) {
        if (threat >= 0) {
          return -1;
        }
        threat = col;
      }
    }
    return threat;
  }
}
