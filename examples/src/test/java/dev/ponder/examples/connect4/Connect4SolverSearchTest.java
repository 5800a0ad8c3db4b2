package dev.ponder.examples.connect4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Exactness of the solver's search mechanisms: mirror-symmetric table entries, the two-entry
 * replacement table (also when it is far too small), enhanced transposition cutoffs, stored best moves,
 * and the guessed null-window tests of {@link Connect4Solver#columnScores}.
 */
class Connect4SolverSearchTest {

  /** Random non-terminal positions with exactly {@code stones} stones, played mostly near the centre. */
  private static List<String> positions(int count, int stones, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] weight = {1, 2, 4, 6, 4, 2, 1};
    List<String> out = new ArrayList<>();
    while (out.size() < count) {
      Connect4Position p = Connect4Position.empty();
      int tries = 0;
      while (!p.isTerminal() && p.moveCount() < stones && tries++ < 1000) { // give up when stuck
        int x = random.nextInt(20);
        int col = 0;
        while (x >= weight[col]) {
          x -= weight[col++];
        }
        if (p.canPlay(col) && !p.isWinningMove(col)) {
          p = p.play(col);
        }
      }
      if (!p.isTerminal() && p.moveCount() == stones) {
        out.add(p.moves());
      }
    }
    return out;
  }

  private static String mirror(String moves) {
    StringBuilder b = new StringBuilder();
    for (char c : moves.toCharArray()) {
      b.append((char) ('1' + '7' - c));
    }
    return b.toString();
  }

  private static int[] reversed(int[] a) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[a.length - 1 - i];
    }
    return r;
  }

  @Test
  void mirrorKeyIsTheKeyOfTheMirroredPosition() {
    for (int stones = 0; stones <= 36; stones += 4) {
      for (String moves : positions(5, stones, 50 + stones)) {
        Connect4Position p = Connect4Position.parse(moves);
        Connect4Position m = Connect4Position.parse(mirror(moves));
        long key = p.current() + p.mask();
        assertEquals(m.current() + m.mask(), Bitboards.mirrorKey(key), moves);
        assertEquals(key, Bitboards.mirrorKey(Bitboards.mirrorKey(key)), moves);
      }
    }
  }

  @Test
  void mirroredPositionsGetMirroredColumnScores() {
    List<String> all = new ArrayList<>(List.of("43462325533543", "52323414", "44634435"));
    all.addAll(positions(3, 14, 12));
    all.addAll(positions(3, 20, 13));
    Connect4Solver shared = new Connect4Solver(1 << 20);
    for (String moves : all) {
      Connect4Position p = Connect4Position.parse(moves);
      Connect4Position m = Connect4Position.parse(mirror(moves));
      int[] direct = new Connect4Solver(1 << 20).columnScores(p);
      // A fresh solver for the mirror image, and one whose table already holds the original.
      assertArrayEquals(reversed(direct), new Connect4Solver(1 << 20).columnScores(m), moves);
      shared.columnScores(p);
      assertArrayEquals(reversed(direct), shared.columnScores(m), moves + " after its mirror");
      assertEquals(shared.solve(p), shared.solve(m), moves);
    }
  }

  @Test
  void aTinyTableStaysExact() {
    // 2^17 buckets: constant collisions and replacements, mirror keys and best moves overwritten.
    Connect4Solver tiny = new Connect4Solver(1);
    for (int stones : new int[] {30, 33, 36}) {
      for (String moves : positions(4, stones, 300 + stones)) {
        BruteForce reference = BruteForce.of(moves);
        Connect4Position p = Connect4Position.parse(moves);
        assertEquals(reference.score(), tiny.solve(p), moves);
        for (int col = 0; col < 7; col++) {
          int expected = p.canPlay(col) ? reference.scoreOf(col) : Connect4Solver.FULL_COLUMN;
          assertEquals(expected, tiny.columnScores(p)[col], moves + " column " + (col + 1));
        }
      }
    }
    Connect4Solver large = new Connect4Solver(1 << 20);
    for (String moves : positions(3, 24, 17)) {
      Connect4Position p = Connect4Position.parse(moves);
      assertArrayEquals(large.columnScores(p), tiny.columnScores(p), moves);
    }
  }

  @Test
  void columnScoresAgreeWithSeparateSolvesOfEachChild() {
    // columnScores shares the table and guesses each child's score from its sibling's; solve on a
    // fresh solver does neither.
    List<String> all = new ArrayList<>(List.of("4541732222"));
    all.addAll(positions(3, 14, 21));
    all.addAll(positions(3, 18, 22));
    for (String moves : all) {
      Connect4Position p = Connect4Position.parse(moves);
      int[] scores = new Connect4Solver(1 << 20).columnScores(p);
      int best = Integer.MIN_VALUE;
      for (int col = 0; col < 7; col++) {
        int expected;
        if (!p.canPlay(col)) {
          expected = Connect4Solver.FULL_COLUMN;
        } else if (p.isWinningMove(col)) {
          expected = (43 - p.moveCount()) / 2;
        } else {
          Connect4Position next = p.play(col);
          expected = next.isTerminal() ? 0 : -new Connect4Solver(1 << 18).solve(next);
        }
        assertEquals(expected, scores[col], moves + " column " + (col + 1));
        best = Math.max(best, scores[col]);
      }
      assertEquals(best, new Connect4Solver(1 << 18).solve(p), moves);
    }
  }
}
