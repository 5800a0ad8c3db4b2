package dev.ponder.mcts.testkit;

import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Transition;
import java.util.HashMap;
import java.util.Map;

/**
 * Exact values of a small deterministic environment by exhaustive search: the best discounted return
 * the player to move can secure (max for one player, negamax for two zero-sum players), and the
 * lowest and highest return any line of play can give (the bounds every search estimate must lie in).
 * States are memoised by {@code equals}, so they need value semantics; the state space must be small.
 *
 * @param <S> the state type
 */
public final class ExactSolver<S> {

  /** The exact value and the return bounds of a state, from its player to move's point of view. */
  public record Values(double value, double lowest, double highest) {}

  private final Environment<S> environment;
  private final double discount;
  private final Map<S, Values> memo = new HashMap<>();

  /** A solver for {@code environment} with the given discount per step. */
  public ExactSolver(Environment<S> environment, double discount) {
    this.environment = environment;
    this.discount = discount;
  }

  /** The values of {@code state}; all zero for a terminal state. */
  public Values values(S state) {
    Values known = memo.get(state);
    if (known != null) {
      return known;
    }
    Values result;
    if (environment.isTerminal(state)) {
      result = new Values(0, 0, 0);
    } else {
      int[] actions = new int[environment.actionCount()];
      int n = environment.legalActions(state, actions);
      double best = Double.NEGATIVE_INFINITY;
      double lowest = Double.POSITIVE_INFINITY;
      double highest = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < n; k++) {
        Values q = actionValues(state, actions[k]);
        best = Math.max(best, q.value);
        lowest = Math.min(lowest, q.lowest);
        highest = Math.max(highest, q.highest);
      }
      result = new Values(best, lowest, highest);
    }
    memo.put(state, result);
    return result;
  }

  /** The values of playing {@code action} in {@code state}, from the point of view of its player. */
  public Values actionValues(S state, int action) {
    Transition<S> t = environment.step(state, action);
    Values next = values(t.state());
    boolean samePlayer = t.terminal() || environment.players() == 1
        || environment.toPlay(t.state()) == environment.toPlay(state);
    double r = t.reward();
    if (samePlayer) {
      return new Values(r + discount * next.value, r + discount * next.lowest, r + discount * next.highest);
    }
    return new Values(r - discount * next.value, r - discount * next.highest, r - discount * next.lowest);
  }
}
