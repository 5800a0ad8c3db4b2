package dev.ponder.mcts;

/**
 * The largest value or reward the search accepts, {@value #MAX} in magnitude. The tree keeps its means
 * in single precision (at most about 3.4e38), and a return sums a value and one reward per step of a
 * path (discounted by at most 1): with every term at most 1e30, a return could overflow only along a
 * path of more than 3e8 steps, so no mean becomes infinite. Real values and rewards are many orders of
 * magnitude smaller.
 */
final class Magnitude {

  /** The largest magnitude accepted for a value or a reward. */
  static final double MAX = 1e30;

  private Magnitude() {}

  /** Whether {@code x} is finite and at most {@link #MAX} in magnitude (false for NaN). */
  static boolean accepted(double x) {
    return Math.abs(x) <= MAX;
  }
}
