package dev.ponder.examples.connect4;

/**
 * An exhaustive negamax without any pruning, on a plain 2D array with explicit line checks: an
 * independent reference for {@link Connect4Solver} on positions with few empty cells. Scores follow the
 * solver's convention: 22 minus the winner's stone count at the end, from the mover's view.
 */
final class BruteForce {

  private final int[][] board = new int[7][6]; // 0 empty, 1 first player, 2 second player
  private final int[] heights = new int[7];
  private int moves;

  /** The board after the moves {@code columns} (digits 1-7); no legality checks beyond bounds. */
  static BruteForce of(String columns) {
    BruteForce b = new BruteForce();
    for (char c : columns.toCharArray()) {
      b.drop(c - '1');
    }
    return b;
  }

  private void drop(int col) {
    board[col][heights[col]++] = 1 + (moves++ & 1);
  }

  private void undo(int col) {
    board[col][--heights[col]] = 0;
    moves--;
  }

  /** The exact score of the player to move. */
  int score() {
    int best = Integer.MIN_VALUE;
    for (int col = 0; col < 7; col++) {
      if (heights[col] < 6) {
        best = Math.max(best, scoreOf(col));
      }
    }
    return best;
  }

  /** The exact score of playing {@code col}, for the player to move; the column must have room. */
  int scoreOf(int col) {
    int stonesAfter = moves / 2 + 1;
    drop(col);
    int s;
    if (fourThrough(col, heights[col] - 1)) {
      s = 22 - stonesAfter;
    } else if (moves == 42) {
      s = 0;
    } else {
      s = -score();
    }
    undo(col);
    return s;
  }

  private boolean fourThrough(int col, int row) {
    int who = board[col][row];
    int[][] directions = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
    for (int[] d : directions) {
      int run = 1;
      for (int sign = -1; sign <= 1; sign += 2) {
        int c = col + sign * d[0];
        int r = row + sign * d[1];
        while (c >= 0 && c < 7 && r >= 0 && r < 6 && board[c][r] == who) {
          run++;
          c += sign * d[0];
          r += sign * d[1];
        }
      }
      if (run >= 4) {
        return true;
      }
    }
    return false;
  }
}
