package dev.ponder.examples.connect4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.Transition;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Connect4Test {

  private final Connect4 game = new Connect4();

  @Test
  void detectsVerticalHorizontalAndBothDiagonals() {
    assertTrue(Connect4Position.parse("1213141").isWon(), "vertical");
    assertTrue(Connect4Position.parse("4455667").isWon(), "horizontal");
    assertTrue(Connect4Position.parse("12234334544").isWon(), "diagonal /");
    assertTrue(Connect4Position.parse("76654554344").isWon(), "diagonal \\");
    assertFalse(Connect4Position.parse("445566").isWon());
    // Lines do not wrap from the top of one column to the bottom of the next.
    assertFalse(Connect4Position.parse("21111113232").isWon());
  }

  @Test
  void bitboardWinsAgreeWithAPlainLineScanOnRandomGames() {
    SplittableRandom random = new SplittableRandom(3);
    for (int g = 0; g < 300; g++) {
      Connect4Position p = Connect4Position.empty();
      while (!p.isTerminal()) {
        int col = random.nextInt(7);
        if (p.canPlay(col)) {
          p = p.play(col);
          assertEquals(plainWin(p), p.isWon(), p.moves());
        }
      }
    }
  }

  /** Whether the player who just moved has four in a row, by scanning the board cell by cell. */
  private static boolean plainWin(Connect4Position p) {
    int who = 1 - p.toPlay();
    int[][] directions = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
    for (int c = 0; c < 7; c++) {
      for (int r = 0; r < 6; r++) {
        for (int[] d : directions) {
          int k = 0;
          while (k < 4 && c + k * d[0] < 7 && r + k * d[1] >= 0 && r + k * d[1] < 6
              && p.cell(c + k * d[0], r + k * d[1]) == who) {
            k++;
          }
          if (k == 4) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void winningMoveRewardsTheMoverAndEndsTheGame() {
    Connect4Position p = Connect4Position.parse("445566");
    assertTrue(p.isWinningMove(6));
    assertTrue(p.isWinningMove(2));
    assertFalse(p.isWinningMove(0));
    Transition<Connect4Position> t = game.step(p, 6);
    assertEquals(1.0, t.reward());
    assertTrue(t.terminal());
    assertTrue(game.isTerminal(t.state()));
    Transition<Connect4Position> quiet = game.step(p, 0);
    assertEquals(0.0, quiet.reward());
    assertFalse(quiet.terminal());
  }

  @Test
  void fullBoardWithoutFourIsADraw() {
    // Columns filled in pairs 1-2, 3-4, 5-6 then 7, a known drawn filling pattern checked below.
    String moves = "121212" + "212121" + "343434" + "434343" + "565656" + "656565" + "777777";
    Connect4Position p = Connect4Position.empty();
    for (int i = 0; i < moves.length(); i++) {
      Transition<Connect4Position> t = game.step(p, moves.charAt(i) - '1');
      assertEquals(i == moves.length() - 1, t.terminal(), "terminal only at the end, move " + (i + 1));
      assertEquals(0.0, t.reward());
      p = t.state();
    }
    assertTrue(p.isFull());
    assertFalse(p.isWon());
  }

  @Test
  void legalMovesSkipFullColumnsAndPlayersAlternate() {
    Connect4Position p = Connect4Position.parse("444444");
    int[] out = new int[7];
    assertEquals(6, game.legalActions(p, out));
    for (int k = 0; k < 6; k++) {
      assertTrue(out[k] != 3);
    }
    assertEquals(0, game.toPlay(p));
    assertEquals(1, game.toPlay(p.play(0)));
    assertEquals(2, game.players());
    assertEquals(7, game.actionCount());
  }

  @Test
  void rejectsIllegalMovesWithClearErrors() {
    Connect4Position p = Connect4Position.parse("444444");
    IllegalArgumentException full = assertThrows(IllegalArgumentException.class, () -> game.step(p, 3));
    assertTrue(full.getMessage().contains("full"), full.getMessage());
    IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> game.step(p, 7));
    assertTrue(outside.getMessage().contains("outside 0..6"), outside.getMessage());
    Connect4Position won = Connect4Position.parse("1213141");
    assertThrows(IllegalStateException.class, () -> won.play(2));
  }

  @Test
  void parsingNamesTheBadMove() {
    assertEquals("4453", Connect4Position.parse("4453").moves());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Connect4Position.parse("448"))
        .getMessage().contains("move 3 is '8'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Connect4Position.parse("4444444"))
        .getMessage().contains("move 7 plays in column 4, which is full"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Connect4Position.parse("12131415"))
        .getMessage().contains("already won"));
  }
}
