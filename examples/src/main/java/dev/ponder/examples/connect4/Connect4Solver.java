package dev.ponder.examples.connect4;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * An exact Connect Four solver: negamax with alpha-beta pruning, a transposition table and iterative
 * null-window search, after Pascal Pons' solver.
 *
 * <p><b>Score</b> (contract): from the view of the player to move, positive for a win, 0 for a draw,
 * negative for a loss; its size is 22 minus the number of stones the winner has played when the game
 * ends with best play (the faster the win, the larger the score). So a win with the move about to be
 * played, in a position with {@code n} stones, scores {@code (43 - n) / 2}.
 *
 * <p>Techniques: bitboard win checks ({@link Bitboards}); only moves that do not lose at once are
 * searched (a forced block is the only move; a move right below an opponent's winning cell is never
 * played); score bounds from the stone count narrow the window; moves are tried centre first, then by the
 * number of winning cells they create; a {@link TranspositionTable} keeps upper and lower bounds of
 * positions; and the exact score is found by a sequence of null-window searches that halve the
 * interval of possible scores. Reuse a solver across positions: its table stays valid.
 *
 * <p>Reference: P. Pons, "Solving Connect 4: how to build a perfect AI" (2019),
 * http://blog.gamesolver.org/solving-connect-four/; J. Allen, "The complete book of Connect 4" (2010).
 * Not thread-safe.
 */
public final class Connect4Solver {

  /** Score of a column that cannot be played, in {@link #columnScores}. */
  public static final int FULL_COLUMN = Integer.MIN_VALUE;

  /** Default number of table slots (64 MB). */
  public static final int DEFAULT_TABLE_SLOTS = 1 << 23;

  private static final int WIDTH = Bitboards.WIDTH;
  private static final int CELLS = Bitboards.CELLS;
  private static final int[] COLUMN_ORDER = {3, 2, 4, 1, 5, 0, 6};
  private static final int LOWER_FLAG = 0x40;
  private static final int VALUE_OFFSET = 32;

  // Enhanced transposition cutoffs (probing the children's entries first) are tried below this many
  // stones: deeper, the probes cost about what the nodes they save do.
  private static final int ETC_DEPTH = 36;
  private final TranspositionTable table;
  // Move ordering buffers, one row per stone count (unique along a search path): no allocation.
  private final long[][] moveBuffer = new long[CELLS + 1][WIDTH];
  private final int[][] scoreBuffer = new int[CELLS + 1][WIDTH];
  private long nodes;

  /** A solver with the default table size. */
  public Connect4Solver() {
    this(DEFAULT_TABLE_SLOTS);
  }

  /** A solver whose table has at least {@code tableSlots} slots (8 bytes each). */
  public Connect4Solver(int tableSlots) {
    this.table = new TranspositionTable(tableSlots);
  }

  /** Positions visited by the searches of this solver so far. */
  public long nodeCount() {
    return nodes;
  }

  /** Forgets the transposition table (it stays correct between positions; this only frees it for tests). */
  public void reset() {
    table.clear();
    nodes = 0;
  }

  /**
   * The exact score of a position (see the class comment for the convention).
   *
   * @throws IllegalArgumentException if the game is over in {@code position}
   */
  public int solve(Connect4Position position) {
    checkNotNull(position, "position must not be null");
    checkArgument(!position.isTerminal(), "position %s is already %s: there is nothing to solve",
        position.moves(), position.isWon() ? "won" : "a draw");
    return solve(position.current(), position.mask(), position.moveCount(), 0);
  }

  private static final int NO_GUESS = Integer.MIN_VALUE;

  /**
   * The exact score by a sequence of null-window searches: first stepping from {@code guess} (a likely
   * score, or {@link #NO_GUESS}) while the tests land next to it, then halving the interval of scores
   * still possible, probing near 0 first.
   */
  private int solve(long current, long mask, int moves, int guess) {
    if ((Bitboards.winningCells(current, mask) & Bitboards.possible(mask)) != 0) {
      return (CELLS + 1 - moves) / 2;
    }
    int min = -(CELLS - moves) / 2;
    int max = (CELLS + 1 - moves) / 2;
    int steps = guess == NO_GUESS ? 0 : 3;
    while (min < max) {
      int med;
      if (steps > 0 && min <= guess && guess < max) {
        med = guess; // does the score exceed the guess?
        steps--;
      } else {
        steps = 0;
        med = min + (max - min) / 2;
        if (med <= 0 && min / 2 < med) {
          med = min / 2;
        } else if (med >= 0 && max / 2 > med) {
          med = max / 2;
        }
      }
      int r = negamax(current, mask, moves, med, med + 1);
      if (r <= med) {
        max = r;
        guess = r - 1; // next: is it r exactly?
      } else {
        min = r;
        guess = r; // next: is it more than r?
      }
    }
    return min;
  }

  /**
   * The exact score of playing each column, from the view of the player to move in {@code position}:
   * 7 entries, {@link #FULL_COLUMN} for a column that cannot be played.
   *
   * @throws IllegalArgumentException if the game is over in {@code position}
   */
  public int[] columnScores(Connect4Position position) {
    checkNotNull(position, "position must not be null");
    checkArgument(!position.isTerminal(), "position %s is already %s: there is nothing to solve",
        position.moves(), position.isWon() ? "won" : "a draw");
    int[] scores = new int[WIDTH];
    int guess = 0; // from the view of the opponent, who moves next; siblings often score alike
    for (int col : COLUMN_ORDER) { // centre first: its search fills the table best for the others
      if (!position.canPlay(col)) {
        scores[col] = FULL_COLUMN;
      } else if (position.isWinningMove(col)) {
        scores[col] = (CELLS + 1 - position.moveCount()) / 2;
      } else {
        Connect4Position next = position.play(col);
        if (next.isTerminal()) {
          scores[col] = 0;
        } else {
          int s = solve(next.current(), next.mask(), next.moveCount(), guess);
          scores[col] = -s;
          guess = s;
        }
      }
    }
    return scores;
  }

  /**
   * Negamax with alpha-beta over a position in which the player to move cannot win at once. Returns
   * the exact score if it lies in (alpha, beta), else a bound on the same side of the window.
   */
  private int negamax(long current, long mask, int moves, int alpha, int beta) {
    long startNodes = nodes++;
    long possible = nonLosingMoves(current, mask);
    if (possible == 0) { // every move lets the opponent win next
      return -(CELLS - moves) / 2;
    }
    if (moves >= CELLS - 2) { // neither side can win any more
      return 0;
    }
    int min = -(CELLS - 2 - moves) / 2; // the opponent cannot win with its next move
    if (alpha < min) {
      alpha = min;
      if (alpha >= beta) {
        return alpha;
      }
    }
    int max = (CELLS - 1 - moves) / 2; // we cannot win with this move
    // A position and its mirror image have the same score: both are stored under the smaller key.
    long key = current + mask;
    long mirrored = Bitboards.mirrorKey(key);
    boolean flip = mirrored < key;
    if (flip) {
      key = mirrored;
    }
    int entry = table.get(key);
    long hintMove = 0;
    if (entry != 0) {
      int value = entry & 0xFF;
      int bound = (value & ~LOWER_FLAG) - VALUE_OFFSET;
      if ((value & LOWER_FLAG) != 0) {
        if (alpha < bound) {
          alpha = bound;
          if (alpha >= beta) {
            return alpha;
          }
        }
      } else if (bound < max) {
        max = bound;
      }
      int stored = (entry >>> 8) & 0xF;
      if (stored != 0) {
        hintMove = possible & Bitboards.column(flip ? WIDTH - stored : stored - 1);
      }
    }
    if (beta > max) {
      beta = max;
      if (alpha >= beta) {
        return beta;
      }
    }

    long[] order = moveBuffer[moves];
    int[] score = scoreBuffer[moves];
    int count = 0;
    for (int i = WIDTH - 1; i >= 0; i--) { // insertion sort; ties keep the centre-first order
      long move = possible & Bitboards.column(COLUMN_ORDER[i]);
      if (move != 0) {
        int s = move == hintMove ? Integer.MAX_VALUE
            : Long.bitCount(Bitboards.winningCells(current | move, mask));
        int pos = count++;
        while (pos > 0 && score[pos - 1] > s) {
          order[pos] = order[pos - 1];
          score[pos] = score[pos - 1];
          pos--;
        }
        order[pos] = move;
        score[pos] = s;
      }
    }
    if (moves < ETC_DEPTH) { // enhanced transposition cutoff: a child's stored upper bound may suffice
      long opponent = current ^ mask;
      for (int i = count - 1; i >= 0; i--) {
        long childMask = mask | order[i];
        long childKey = opponent + childMask;
        childKey = Math.min(childKey, Bitboards.mirrorKey(childKey));
        int childEntry = table.get(childKey);
        if (childEntry != 0 && (childEntry & LOWER_FLAG) == 0) {
          int s = -((childEntry & 0xFF) - VALUE_OFFSET);
          if (s >= beta) {
            store(key, flip, LOWER_FLAG | (s + VALUE_OFFSET), order[i], 1);
            return s;
          }
        }
      }
    }
    long best = hintMove;
    for (int i = count - 1; i >= 0; i--) {
      long move = order[i];
      int s = -negamax(current ^ mask, mask | move, moves + 1, -beta, -alpha);
      if (s >= beta) {
        store(key, flip, LOWER_FLAG | (s + VALUE_OFFSET), move, nodes - startNodes);
        return s;
      }
      if (s > alpha) {
        alpha = s;
        best = move;
      }
    }
    store(key, flip, alpha + VALUE_OFFSET, best, nodes - startNodes);
    return alpha;
  }

  private void store(long key, boolean flip, int value, long move, long work) {
    int data = value;
    if (move != 0) {
      int col = Long.numberOfTrailingZeros(move) / Bitboards.H1;
      data |= (flip ? WIDTH - col : col + 1) << 8;
    }
    data |= Math.min(255, 64 - Long.numberOfLeadingZeros(work)) << 24;
    table.put(key, data);
  }

  /**
   * The cells the player to move may play without letting the opponent win at once: a forced block if
   * there is one threat, nothing if there are two, and never the cell right below an opponent's win.
   */
  private static long nonLosingMoves(long current, long mask) {
    long possible = Bitboards.possible(mask);
    long opponentWins = Bitboards.winningCells(current ^ mask, mask);
    long forced = possible & opponentWins;
    if (forced != 0) {
      if ((forced & (forced - 1)) != 0) {
        return 0;
      }
      possible = forced;
    }
    return possible & ~(opponentWins >>> 1);
  }
}
