package dev.ponder.mcts.select;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The value assumed for a child that has not been visited yet (first-play urgency, FPU): either a fixed
 * value, or the parent's own value minus a reduction, as in Leela Zero and KataGo. A low FPU makes the
 * search deepen its best lines; a high one makes it try every child early.
 *
 * @param absolute whether {@code value} is used as it is (true) or subtracted from the parent's value
 * @param value the fixed value, or the reduction
 */
public record FirstPlayUrgency(boolean absolute, double value) {

  /** Checks the value. */
  public FirstPlayUrgency {
    checkArgument(Double.isFinite(value), "FirstPlayUrgency.value must be finite, was %s", value);
  }

  /** Unvisited children are worth {@code value}. AlphaZero's pseudocode uses 0. */
  public static FirstPlayUrgency absolute(double value) {
    return new FirstPlayUrgency(true, value);
  }

  /** Unvisited children are worth the parent's value minus {@code reduction}. */
  public static FirstPlayUrgency parentMinus(double reduction) {
    return new FirstPlayUrgency(false, reduction);
  }

  /** The value of an unvisited child of a parent whose own value is {@code parentValue}. */
  public double of(double parentValue) {
    return absolute ? value : parentValue - value;
  }
}
