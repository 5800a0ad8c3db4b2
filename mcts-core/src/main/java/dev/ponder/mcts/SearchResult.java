package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkElementIndex;

import org.eclipse.collections.api.list.ImmutableList;
import org.eclipse.collections.api.list.primitive.ImmutableIntList;

/**
 * The outcome of one search from a root state.
 *
 * @param action the chosen action (most visits, or sampled when the temperature is above 0)
 * @param value the root's mean value from the point of view of its player to move
 * @param actionCount size A of the action space
 * @param actions statistics of every legal root action, in increasing order of action
 * @param principalVariation the most visited line from the root: for a reasoning problem, the chain of
 *     steps the search believes in
 * @param stats what the search did
 */
public record SearchResult(
    int action,
    double value,
    int actionCount,
    ImmutableList<ActionStats> actions,
    ImmutableIntList principalVariation,
    SearchStats stats) {

  /**
   * The visit distribution over the whole action space, zero for illegal and unvisited actions: the
   * policy target of AlphaZero-style training.
   */
  public double[] policy() {
    double[] policy = new double[actionCount];
    long total = 0;
    for (ActionStats a : actions) {
      total += a.visits();
    }
    if (total > 0) {
      for (ActionStats a : actions) {
        policy[a.action()] = (double) a.visits() / total;
      }
    }
    return policy;
  }

  /** The statistics of a root action, or null if it is not legal at the root. */
  public ActionStats statsOf(int action) {
    checkElementIndex(action, actionCount, "action");
    return actions.detect(a -> a.action() == action);
  }
}
