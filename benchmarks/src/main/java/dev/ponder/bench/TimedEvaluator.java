package dev.ponder.bench;

import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.StagedEvaluator;

/**
 * Passes every step to a staged evaluator and adds up the time spent in its network runs only
 * ({@link Stage#run}, not encoding or decoding): divided by the wall time of a search, how busy the
 * network was (up to the number of threads that run it: two for a parallel pool of two). Two
 * {@code nanoTime} calls per run; thread-safe.
 */
final class TimedEvaluator<S> implements StagedEvaluator<S> {

  private final StagedEvaluator<S> delegate;
  private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

  TimedEvaluator(StagedEvaluator<S> delegate) {
    this.delegate = delegate;
  }

  @Override
  public Stage<S> newStage() {
    Stage<S> stage = delegate.newStage();
    return new Stage<>() {
      @Override
      public void encode(EvaluationBatch<S> batch) {
        stage.encode(batch);
      }

      @Override
      public void run() {
        long start = System.nanoTime();
        try {
          stage.run();
        } finally {
          nanos.addAndGet(System.nanoTime() - start);
          calls.incrementAndGet();
        }
      }

      @Override
      public void decode(EvaluationBatch<S> batch) {
        stage.decode(batch);
      }

      @Override
      public void close() {
        stage.close();
      }
    };
  }

  /** The delegate's whole evaluation, untimed: only the runs of stages are timed. */
  @Override
  public void evaluate(EvaluationBatch<S> batch) {
    delegate.evaluate(batch);
  }

  /** Nanoseconds spent in the network runs so far. */
  long nanos() {
    return nanos.get();
  }

  /** Network runs so far. */
  long calls() {
    return calls.get();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
