package dev.ponder.examples.connect4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Connect4SolverTest {

  private static Connect4Solver solver;

  @BeforeAll
  static void createSolver() {
    solver = new Connect4Solver(1 << 20);
  }

  /** Random non-terminal positions with exactly {@code stones} stones. */
  private static List<String> randomPositions(int count, int stones, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    while (out.size() < count) {
      Connect4Position p = Connect4Position.empty();
      while (!p.isTerminal() && p.moveCount() < stones) {
        int col = random.nextInt(7);
        if (p.canPlay(col)) {
          p = p.play(col);
        }
      }
      if (!p.isTerminal() && p.moveCount() == stones) {
        out.add(p.moves());
      }
    }
    return out;
  }

  @Test
  void agreesWithExhaustiveSearchOnLatePositions() {
    for (int stones : new int[] {32, 33, 34, 35, 36, 38, 40, 41}) {
      for (String moves : randomPositions(8, stones, 1000 + stones)) {
        Connect4Position p = Connect4Position.parse(moves);
        BruteForce reference = BruteForce.of(moves);
        assertEquals(reference.score(), solver.solve(p), "score of " + moves);
        int[] expected = new int[7];
        for (int col = 0; col < 7; col++) {
          expected[col] = p.canPlay(col) ? reference.scoreOf(col) : Connect4Solver.FULL_COLUMN;
        }
        assertArrayEquals(expected, solver.columnScores(p), "column scores of " + moves);
      }
    }
  }

  @Test
  void agreesWithExhaustiveSearchOnAKnownEndgame() {
    // Pons' end-easy example; its published score is 1, checked here by exhaustive search.
    String moves = "7422341735647741166133573473242566";
    int expected = BruteForce.of(moves).score();
    assertEquals(expected, solver.solve(Connect4Position.parse(moves)));
    assertEquals(1, expected);
  }

  @Test
  void scoresImmediateWinsByStoneCount() {
    // X has 4,4,4 in column 4 and wins with its 4th stone: 22 - 4 = 18.
    Connect4Position p = Connect4Position.parse("414243");
    assertEquals(18, solver.solve(p));
    assertEquals(18, solver.columnScores(p)[3]);
    // O to move must block column 4; O cannot win at once, so every other column loses with score -18.
    Connect4Position q = Connect4Position.parse("41424");
    int[] scores = solver.columnScores(q);
    for (int col = 0; col < 7; col++) {
      if (col != 3) {
        assertEquals(-18, scores[col], "column " + (col + 1));
      }
    }
    assertTrue(scores[3] > -18);
  }

  /**
   * On mid-game positions no exhaustive search is feasible; instead the score must be consistent: it
   * is the best column score, and playing best moves for both sides to the end gives a game whose final
   * result is exactly the score.
   */
  @Test
  void midGameScoresAreConsistentWithBestPlay() {
    List<String> positions = new ArrayList<>(List.of("3333444", "435462", "43745416472735"));
    positions.addAll(randomPositions(3, 18, 7));
    positions.addAll(randomPositions(3, 24, 8));
    for (String moves : positions) {
      Connect4Position p = Connect4Position.parse(moves);
      int score = solver.solve(p);
      int sign = 1;
      int expected = score;
      while (true) {
        int[] scores = solver.columnScores(p);
        int best = 0;
        for (int col = 1; col < 7; col++) {
          if (scores[col] > scores[best]) {
            best = col;
          }
        }
        assertEquals(sign * expected, scores[best], "best column score of " + p.moves() + " from " + moves);
        int moverStones = p.moveCount() / 2 + 1;
        p = p.play(best);
        if (p.isWon()) {
          assertEquals(sign * expected, 22 - moverStones, "final result of best play from " + moves);
          break;
        }
        if (p.isFull()) {
          assertEquals(0, expected, "draw after best play from " + moves);
          break;
        }
        sign = -sign;
      }
    }
  }

  @Test
  void rejectsFinishedGames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> solver.solve(Connect4Position.parse("4141414")));
    assertTrue(e.getMessage().contains("already won"), e.getMessage());
  }
}
