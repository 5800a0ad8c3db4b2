package dev.ponder.mcts.eval;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.Evaluator;

/** Uniform priors and a value of zero for every state: the selection rule alone steers the search. */
public final class UniformEvaluator<S> implements Evaluator<S> {

  private static final UniformEvaluator<?> INSTANCE = new UniformEvaluator<>();

  private UniformEvaluator() {}

  /** The shared instance. */
  @SuppressWarnings("unchecked")
  public static <S> UniformEvaluator<S> instance() {
    return (UniformEvaluator<S>) INSTANCE;
  }

  @Override
  public void evaluate(EvaluationBatch<S> batch) {
    checkNotNull(batch, "batch must not be null");
    for (int row = 0; row < batch.size(); row++) {
      batch.setValue(row, 0.0); // unset priors are uniform
    }
  }

  @Override
  public String toString() {
    return "UniformEvaluator";
  }
}
