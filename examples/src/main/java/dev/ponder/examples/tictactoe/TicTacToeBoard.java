package dev.ponder.examples.tictactoe;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkState;

/**
 * An immutable tic-tac-toe position: two 9-bit masks of the cells held by the first player (X) and the
 * second player (O). Cells are numbered 0..8 row by row from the top left; the player to move follows
 * from the stone counts (X moves first).
 *
 * @param crosses cells held by X, the first player
 * @param noughts cells held by O, the second player
 */
public record TicTacToeBoard(int crosses, int noughts) {

  /** Number of cells. */
  public static final int CELLS = 9;

  private static final int FULL = (1 << CELLS) - 1;
  private static final int[] LINES = {
    0b000_000_111, 0b000_111_000, 0b111_000_000, // rows
    0b001_001_001, 0b010_010_010, 0b100_100_100, // columns
    0b100_010_001, 0b001_010_100 // diagonals
  };

  /** Checks that the masks are disjoint 9-bit sets reachable by alternate play. */
  public TicTacToeBoard {
    checkArgument((crosses & ~FULL) == 0 && (noughts & ~FULL) == 0, "cells must be in 0..8");
    checkArgument((crosses & noughts) == 0, "a cell cannot hold both X and O");
    int diff = Integer.bitCount(crosses) - Integer.bitCount(noughts);
    checkArgument(diff == 0 || diff == 1, "X moves first, so X has as many stones as O or one more");
  }

  /** The empty board. */
  public static TicTacToeBoard empty() {
    return new TicTacToeBoard(0, 0);
  }

  /** Stones on the board. */
  public int moves() {
    return Integer.bitCount(crosses | noughts);
  }

  /** The player to move: 0 for X, 1 for O. */
  public int toPlay() {
    return moves() & 1;
  }

  /** Whether {@code cell} is empty. */
  public boolean isEmpty(int cell) {
    checkElementIndex(cell, CELLS, "cell");
    return ((crosses | noughts) & (1 << cell)) == 0;
  }

  /** The player (0 or 1) who has three in a row, or -1 if none has. */
  public int winner() {
    if (hasLine(crosses)) {
      return 0;
    }
    return hasLine(noughts) ? 1 : -1;
  }

  /** Whether the game is over: a line of three, or a full board. */
  public boolean isOver() {
    return winner() >= 0 || (crosses | noughts) == FULL;
  }

  /**
   * The board after the player to move takes {@code cell}.
   *
   * @throws IllegalArgumentException if the cell is outside 0..8 or taken
   * @throws IllegalStateException if the game is over
   */
  public TicTacToeBoard play(int cell) {
    checkArgument(cell >= 0 && cell < CELLS, "tic-tac-toe cell %s is outside 0..8", cell);
    checkArgument(isEmpty(cell), "tic-tac-toe cell %s is already taken", cell);
    checkState(!isOver(), "the game is over: no move can be played");
    int bit = 1 << cell;
    return toPlay() == 0 ? new TicTacToeBoard(crosses | bit, noughts) : new TicTacToeBoard(crosses, noughts | bit);
  }

  /** Whether some line of three is entirely in {@code cells}. */
  static boolean hasLine(int cells) {
    for (int line : LINES) {
      if ((cells & line) == line) {
        return true;
      }
    }
    return false;
  }

  /** Three rows of {@code X}, {@code O} and {@code .}, separated by newlines. */
  public String render() {
    StringBuilder b = new StringBuilder();
    for (int cell = 0; cell < CELLS; cell++) {
      int bit = 1 << cell;
      b.append((crosses & bit) != 0 ? 'X' : (noughts & bit) != 0 ? 'O' : '.');
      if (cell % 3 == 2 && cell < CELLS - 1) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return render().replace('\n', '/');
  }
}
