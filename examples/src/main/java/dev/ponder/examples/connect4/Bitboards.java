package dev.ponder.examples.connect4;

/**
 * Bit tricks on the Connect Four board of {@link Connect4Position}: 7 bits per column (6 cells from the
 * bottom up and one empty sentinel bit), columns one after the other, so that one 64-bit word holds a
 * set of cells and shifts by 1, 6, 7 and 8 move along a column, an anti-diagonal, a row and a diagonal.
 *
 * <p>Reference: P. Pons, "Solving Connect 4: how to build a perfect AI" (2019), part 6 (bitboard).
 */
final class Bitboards {

  static final int WIDTH = 7;
  static final int HEIGHT = 6;
  static final int H1 = HEIGHT + 1;
  static final int CELLS = WIDTH * HEIGHT;

  /** One bit at the bottom of every column. */
  static final long BOTTOM = bottomMask();
  /** Every playable cell (no sentinel bits). */
  static final long BOARD = BOTTOM * ((1L << HEIGHT) - 1);

  private Bitboards() {}

  private static long bottomMask() {
    long m = 0;
    for (int c = 0; c < WIDTH; c++) {
      m |= 1L << (c * H1);
    }
    return m;
  }

  /** The lowest cell of column {@code col}. */
  static long bottom(int col) {
    return 1L << (col * H1);
  }

  /** The top cell of column {@code col}. */
  static long top(int col) {
    return 1L << (HEIGHT - 1 + col * H1);
  }

  /** Every cell of column {@code col}. */
  static long column(int col) {
    return ((1L << HEIGHT) - 1) << (col * H1);
  }

  /** The cell a stone dropped now would fill, in every column that is not full. */
  static long possible(long mask) {
    return (mask + BOTTOM) & BOARD;
  }

  /** Whether {@code stones} contain four in a row in any direction. */
  static boolean hasFour(long stones) {
    long m = stones & (stones >>> H1); // horizontal
    if ((m & (m >>> (2 * H1))) != 0) {
      return true;
    }
    m = stones & (stones >>> HEIGHT); // diagonal /
    if ((m & (m >>> (2 * HEIGHT))) != 0) {
      return true;
    }
    m = stones & (stones >>> (HEIGHT + 2)); // diagonal \
    if ((m & (m >>> (2 * (HEIGHT + 2)))) != 0) {
      return true;
    }
    m = stones & (stones >>> 1); // vertical
    return (m & (m >>> 2)) != 0;
  }

  /**
   * The empty cells that would complete four in a row for {@code stones} (whether playable now or not).
   *
   * @param stones one player's stones
   * @param mask all stones
   */
  static long winningCells(long stones, long mask) {
    long p = stones;
    // vertical: three stones below
    long r = (p << 1) & (p << 2) & (p << 3);
    r |= lines(p, H1); // horizontal
    r |= lines(p, HEIGHT); // diagonal /
    r |= lines(p, HEIGHT + 2); // diagonal \
    return r & (BOARD ^ mask);
  }

  /** Cells completing a line of four with three of {@code p} along the direction of shift {@code s}. */
  private static long lines(long p, int s) {
    long r;
    long q = (p << s) & (p << (2 * s));
    r = q & (p << (3 * s));
    r |= q & (p >>> s);
    q = (p >>> s) & (p >>> (2 * s));
    r |= q & (p << s);
    r |= q & (p >>> (3 * s));
    return r;
  }

  /**
   * The key ({@code current + mask}) of the mirror image of the position with key {@code key}: a key
   * holds each column in its own 7 bits (no carry crosses columns), so this reverses the columns.
   */
  static long mirrorKey(long key) {
    long c = 0x7FL;
    return ((key & c) << 42) | ((key & (c << 7)) << 28) | ((key & (c << 14)) << 14) | (key & (c << 21))
        | ((key >>> 14) & (c << 14)) | ((key >>> 28) & (c << 7)) | ((key >>> 42) & c);
  }
}
