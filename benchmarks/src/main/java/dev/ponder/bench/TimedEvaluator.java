package dev.ponder.bench;

import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.Evaluator;

/**
 * Passes every call to another evaluator and adds up the time spent in it: divided by the wall time of
 * a search, how busy the network was. Two {@code nanoTime} calls per batch; for one thread at a time.
 */
final class TimedEvaluator<S> implements Evaluator<S> {

  private final Evaluator<S> delegate;
  private long nanos;
  private long calls;

  TimedEvaluator(Evaluator<S> delegate) {
    this.delegate = delegate;
  }

  @Override
  public void evaluate(EvaluationBatch<S> batch) {
    long start = System.nanoTime();
    try {
      delegate.evaluate(batch);
    } finally {
      nanos += System.nanoTime() - start;
      calls++;
    }
  }

  /** Nanoseconds spent in the delegate so far. */
  long nanos() {
    return nanos;
  }

  /** Calls so far. */
  long calls() {
    return calls;
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
