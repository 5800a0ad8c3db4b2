package dev.ponder.examples.connect4;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

/**
 * An immutable Connect Four position on the usual board of 7 columns and 6 rows, stored as two
 * bitboards in Pascal Pons' layout: the stones of the player to move and the mask of all stones (see
 * {@link Bitboards}). Player 0 moves first. Columns are 0..6 in the API; the text notation of
 * {@link #parse} and {@link #moves()} uses the digits 1-7, as in Pons' test sets.
 *
 * <p>A position after a move that makes four in a row is terminal ({@link #isWon()}); so is a full
 * board ({@link #isFull()}), which is then a draw.
 */
public final class Connect4Position {

  /** Number of columns. */
  public static final int WIDTH = Bitboards.WIDTH;
  /** Number of rows. */
  public static final int HEIGHT = Bitboards.HEIGHT;

  private static final Connect4Position EMPTY = new Connect4Position(0, 0, 0, false, null, (byte) -1);

  private final long current;
  private final long mask;
  private final int moves;
  private final boolean won;
  // The history is a link to the previous position and the column played, not a string copied on every
  // move: positions are made in the search's inner loop.
  private final Connect4Position previous;
  private final byte lastColumn;

  private Connect4Position(long current, long mask, int moves, boolean won, Connect4Position previous,
      byte lastColumn) {
    this.current = current;
    this.mask = mask;
    this.moves = moves;
    this.won = won;
    this.previous = previous;
    this.lastColumn = lastColumn;
  }

  /** The empty board, player 0 to move. */
  public static Connect4Position empty() {
    return EMPTY;
  }

  /**
   * The position reached by a sequence of moves written as column digits 1-7, e.g. {@code "4453"}.
   *
   * @throws IllegalArgumentException naming the offending move if a character is not a digit 1-7, a
   *     column is full, or a move comes after the game has ended
   */
  public static Connect4Position parse(String columns) {
    checkNotNull(columns, "position must not be null");
    Connect4Position p = EMPTY;
    for (int i = 0; i < columns.length(); i++) {
      char ch = columns.charAt(i);
      int move = i + 1;
      checkArgument(ch >= '1' && ch <= '7',
          "position %s: move %s is '%s'; columns are the digits 1-7", columns, move, ch);
      int col = ch - '1';
      checkArgument(!p.isTerminal(), "position %s: move %s (column %s) comes after the game was already %s",
          columns, move, ch, p.isWon() ? "won" : "drawn");
      checkArgument(p.canPlay(col), "position %s: move %s plays in column %s, which is full", columns, move,
          ch);
      p = p.play(col);
    }
    return p;
  }

  /** Stones on the board. */
  public int moveCount() {
    return moves;
  }

  /** The moves from the empty board as column digits 1-7 (empty for the empty board). */
  public String moves() {
    char[] digits = new char[moves];
    Connect4Position p = this;
    for (int i = moves - 1; i >= 0; i--, p = p.previous) {
      digits[i] = (char) ('1' + p.lastColumn);
    }
    return new String(digits);
  }

  /** The player to move: 0 (first player) or 1. */
  public int toPlay() {
    return moves & 1;
  }

  /** Whether the last move made four in a row. */
  public boolean isWon() {
    return won;
  }

  /** Whether all 42 cells are filled. */
  public boolean isFull() {
    return moves == Bitboards.CELLS;
  }

  /** Whether the game is over: won or full. */
  public boolean isTerminal() {
    return won || isFull();
  }

  /** Whether column {@code col} (0..6) exists and has room. */
  public boolean canPlay(int col) {
    return col >= 0 && col < WIDTH && (mask & Bitboards.top(col)) == 0;
  }

  /** Whether dropping a stone in column {@code col} (0..6, playable) makes four in a row for the mover. */
  public boolean isWinningMove(int col) {
    checkArgument(canPlay(col), "column %s is not playable", col);
    return (Bitboards.winningCells(current, mask) & Bitboards.possible(mask) & Bitboards.column(col)) != 0;
  }

  /**
   * The position after the player to move drops a stone in column {@code col} (0..6).
   *
   * @throws IllegalArgumentException if the column is outside 0..6 or full
   * @throws IllegalStateException if the game is over
   */
  public Connect4Position play(int col) {
    checkArgument(col >= 0 && col < WIDTH, "Connect Four column %s is outside 0..6", col);
    checkState(!isTerminal(), "the game is over: no move can be played");
    checkArgument(canPlay(col), "Connect Four column %s (%s in 1-7 notation) is full", col, col + 1);
    long move = (mask + Bitboards.bottom(col)) & Bitboards.column(col);
    long mine = current | move;
    return new Connect4Position(current ^ mask, mask | move, moves + 1, Bitboards.hasFour(mine),
        this, (byte) col);
  }

  /**
   * The stones of the player to move, as a bitboard: the cell in column {@code col} and row
   * {@code row} (0 at the bottom) is bit {@code col * (HEIGHT + 1) + row}; bit {@code col * 7 + 6} of
   * each column is never set. With {@link #mask()}, the fast way to read a whole position (encoders).
   */
  public long current() {
    return current;
  }

  /** Every stone on the board, as a bitboard laid out like {@link #current()}. */
  public long mask() {
    return mask;
  }

  /**
   * The owner of a cell: 0 or 1 for the players' stones, -1 if empty.
   *
   * @param col column 0..6
   * @param row row 0..5 from the bottom
   */
  public int cell(int col, int row) {
    checkArgument(col >= 0 && col < WIDTH && row >= 0 && row < HEIGHT, "no cell (%s, %s)", col, row);
    long bit = 1L << (col * Bitboards.H1 + row);
    if ((mask & bit) == 0) {
      return -1;
    }
    boolean mover = (current & bit) != 0;
    return mover ? toPlay() : 1 - toPlay();
  }

  /** Six rows from the top, {@code X} for the first player, {@code O} for the second, {@code .} empty. */
  public String render() {
    StringBuilder b = new StringBuilder();
    for (int row = HEIGHT - 1; row >= 0; row--) {
      for (int col = 0; col < WIDTH; col++) {
        int owner = cell(col, row);
        b.append(owner == 0 ? 'X' : owner == 1 ? 'O' : '.');
        if (col < WIDTH - 1) {
          b.append(' ');
        }
      }
      b.append('\n');
    }
    return b.append("1 2 3 4 5 6 7").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Connect4Position p && p.current == current && p.mask == mask;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(current * 31 + mask);
  }

  @Override
  public String toString() {
    return "Connect4Position[" + (moves == 0 ? "empty" : moves()) + "]";
  }
}
