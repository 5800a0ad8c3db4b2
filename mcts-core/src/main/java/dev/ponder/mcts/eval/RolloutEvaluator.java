package dev.ponder.mcts.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.ponder.mcts.Environment;
import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Transition;
import java.util.SplittableRandom;

/**
 * Uniform priors, and as value the mean discounted return of random play to the end of the game, from
 * the point of view of the player to move in the evaluated state (rewards of the other player count
 * negatively). The classic evaluation of Monte Carlo Tree Search before learned value functions.
 *
 * <p>Thread-safe if the environment is.
 *
 * <p>Reference: L. Kocsis and C. Szepesvári, "Bandit based Monte-Carlo planning", ECML 2006.
 */
public final class RolloutEvaluator<S> implements Evaluator<S> {

  /** A rollout longer than this many moves is taken as a bug in the environment (a game without end). */
  public static final int MAX_ROLLOUT_LENGTH = 1_000_000;

  private final Environment<S> environment;
  private final int rollouts;
  private final double discount;

  /**
   * @param environment the rules
   * @param rollouts random games per state, at least 1
   * @param discount discount per step in {@code [0, 1]}
   */
  public RolloutEvaluator(Environment<S> environment, int rollouts, double discount) {
    this.environment = checkNotNull(environment, "environment");
    checkArgument(rollouts >= 1, "rollouts must be at least 1, was %s", rollouts);
    checkArgument(discount >= 0 && discount <= 1, "discount must be in [0, 1], was %s", discount);
    this.rollouts = rollouts;
    this.discount = discount;
  }

  @Override
  public void evaluate(EvaluationBatch<S> batch) {
    checkNotNull(batch, "batch must not be null");
    checkArgument(batch.actionCount() == environment.actionCount(),
        "the batch has %s actions but %s plays %s, which has %s: the evaluator was built for another"
            + " environment", batch.actionCount(), this, environment, environment.actionCount());
    int[] actions = new int[environment.actionCount()]; // per call: the evaluator is thread-safe
    for (int row = 0; row < batch.size(); row++) {
      SplittableRandom random = batch.random(row);
      S start = batch.state(row);
      int me = batch.player(row);
      double total = 0;
      for (int r = 0; r < rollouts; r++) {
        total += rollout(start, me, random, actions);
      }
      batch.setValue(row, total / rollouts);
    }
  }

  private double rollout(S start, int me, SplittableRandom random, int[] actions) {
    S state = start;
    double value = 0;
    double weight = 1;
    boolean terminal = false; // the search never evaluates a terminal state
    for (int length = 0; !terminal; length++) {
      if (length == MAX_ROLLOUT_LENGTH) {
        throw new IllegalStateException("random rollout from " + start + " did not end after "
            + MAX_ROLLOUT_LENGTH + " moves: does the environment reach a terminal state?");
      }
      int n = environment.legalActions(state, actions);
      if (n < 1 || n > actions.length) {
        throw new IllegalStateException(String.format("%s.legalActions returned %d for state %s in a random"
            + " rollout, which the environment reported as not terminal; expected 1 to %d", name(), n, state,
            actions.length));
      }
      int mover = environment.toPlay(state);
      int action = actions[random.nextInt(n)];
      Transition<S> t = environment.step(state, action);
      if (t == null) {
        throw new IllegalStateException(String.format("%s.step returned null for action %d in state %s in a"
            + " random rollout", name(), action, state));
      }
      value += weight * (mover == me ? t.reward() : -t.reward());
      weight *= discount;
      state = t.state();
      terminal = t.terminal();
    }
    return value;
  }

  private String name() {
    Class<?> type = environment.getClass();
    return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
  }

  @Override
  public String toString() {
    return "RolloutEvaluator(rollouts=" + rollouts + ", discount=" + discount + ")";
  }
}
