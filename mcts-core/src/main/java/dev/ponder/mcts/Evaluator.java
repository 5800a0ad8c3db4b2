package dev.ponder.mcts;

import dev.ponder.mcts.eval.RolloutEvaluator;
import dev.ponder.mcts.eval.UniformEvaluator;

/**
 * Estimates, for a batch of states, a prior over each state's legal actions and the value of the state.
 *
 * <p>Batched by contract: the search hands over as many states as it can gather (one tree's leaves with
 * virtual loss, or many trees' leaves) and the evaluator fills the batch in one call. See
 * {@link EvaluationBatch} for what must be written. An evaluator that throws leaves the search tree
 * consistent; the exception reaches the caller of the search as it was thrown, even a checked one that
 * this interface does not declare (as code in other JVM languages may throw).
 *
 * <p>Implementations here need no network: {@link #uniform()} and {@link #randomRollout}. The ONNX
 * evaluator lives in {@code mcts-onnx}.
 *
 * @param <S> the state type
 */
@FunctionalInterface
public interface Evaluator<S> {

  /** Writes a prior for every legal action and a value for every row of the batch. */
  void evaluate(EvaluationBatch<S> batch);

  /** Uniform priors and a value of zero: pure exploration by the selection rule. */
  static <S> Evaluator<S> uniform() {
    return UniformEvaluator.instance();
  }

  /**
   * Uniform priors and, as value, the mean discounted return of {@code rollouts} games played with
   * uniformly random legal moves to the end (the classic MCTS evaluation). Its randomness comes from the
   * search's seeded generator ({@link EvaluationBatch#random(int)}), so seeded searches stay reproducible.
   *
   * @param environment the rules to play by
   * @param rollouts random games per state, at least 1
   * @param discount discount per step in {@code [0, 1]}; use the search's discount
   */
  static <S> Evaluator<S> randomRollout(Environment<S> environment, int rollouts, double discount) {
    return new RolloutEvaluator<>(environment, rollouts, discount);
  }

  /** {@link #randomRollout(Environment, int, double)} with one rollout and no discount. */
  static <S> Evaluator<S> randomRollout(Environment<S> environment) {
    return new RolloutEvaluator<>(environment, 1, 1.0);
  }
}
