package dev.ponder.examples.tictactoe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.Transition;
import org.junit.jupiter.api.Test;

class TicTacToeTest {

  private final TicTacToe game = new TicTacToe();

  private static TicTacToeBoard play(int... cells) {
    TicTacToeBoard b = TicTacToeBoard.empty();
    for (int c : cells) {
      b = b.play(c);
    }
    return b;
  }

  @Test
  void detectsEveryLineForBothPlayers() {
    int[][] lines = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}};
    for (int[] line : lines) {
      int x = 0;
      for (int c : line) {
        x |= 1 << c;
      }
      assertTrue(TicTacToeBoard.hasLine(x));
      assertFalse(TicTacToeBoard.hasLine(x & (x - 1)), "two of three is no line");
      int[] others = new int[6];
      int k = 0;
      for (int c = 0; c < 9; c++) {
        if ((x & (1 << c)) == 0) {
          others[k++] = c;
        }
      }
      // X takes the line while O plays elsewhere; then O takes it while X plays elsewhere (no X line).
      assertEquals(0, play(line[0], others[0], line[1], others[1], line[2]).winner());
      TicTacToeBoard o = TicTacToeBoard.empty();
      int xi = 0;
      for (int c : line) {
        while (TicTacToeBoard.hasLine(o.crosses() | (1 << others[xi]))) {
          xi++;
        }
        o = o.play(others[xi++]).play(c);
      }
      assertEquals(1, o.winner());
    }
  }

  @Test
  void winningMoveGivesRewardToMoverAndEnds() {
    TicTacToeBoard b = play(0, 3, 1, 4); // X: 0,1  O: 3,4
    Transition<TicTacToeBoard> t = game.step(b, 2);
    assertEquals(1.0, t.reward());
    assertTrue(t.terminal());
    assertEquals(0, t.state().winner());
    Transition<TicTacToeBoard> o = game.step(play(0, 3, 1, 4, 8), 5); // O completes 3,4,5
    assertEquals(1.0, o.reward());
    assertEquals(1, o.state().winner());
  }

  @Test
  void fullBoardWithoutLineIsDraw() {
    // X O X / X O O / O X X
    TicTacToeBoard b = play(0, 1, 2, 4, 3, 5, 7, 6);
    Transition<TicTacToeBoard> t = game.step(b, 8);
    assertEquals(0.0, t.reward());
    assertTrue(t.terminal());
    assertEquals(-1, t.state().winner());
  }

  @Test
  void legalMovesAreTheEmptyCellsAndAlternate() {
    TicTacToeBoard b = play(4, 0);
    int[] out = new int[9];
    int n = game.legalActions(b, out);
    assertEquals(7, n);
    assertEquals(0, game.toPlay(b));
    assertEquals(1, game.toPlay(b.play(1)));
    assertEquals(2, game.players());
  }

  @Test
  void rejectsIllegalMovesWithClearErrors() {
    TicTacToeBoard b = play(4);
    IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> game.step(b, 4));
    assertTrue(taken.getMessage().contains("already taken"), taken.getMessage());
    IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> game.step(b, 9));
    assertTrue(outside.getMessage().contains("outside 0..8"), outside.getMessage());
    TicTacToeBoard won = play(0, 3, 1, 4, 2);
    assertThrows(IllegalStateException.class, () -> won.play(8));
    assertThrows(IllegalArgumentException.class, () -> game.legalActions(won, new int[9]));
    assertThrows(IllegalArgumentException.class, () -> new TicTacToeBoard(1, 1));
  }
}
