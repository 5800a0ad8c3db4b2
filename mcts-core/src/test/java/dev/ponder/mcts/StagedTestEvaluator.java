package dev.ponder.mcts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Any evaluator made staged the way a network evaluator is: {@code encode} copies the rows (state,
 * player, legal actions, generator) into the stage's own batch, {@code run} evaluates that copy and
 * never touches the search's batch, {@code decode} copies the answers (values and the priors as
 * written) back. So a search with it must end exactly as with the evaluator itself. It can be told
 * to fail in one step at the n-th batch, and counts the stages it made and closed.
 */
final class StagedTestEvaluator<S> implements StagedEvaluator<S> {

  /** The three steps. */
  enum Step { ENCODE, RUN, DECODE }

  private final Evaluator<S> delegate;
  private final Step failIn;
  private final int failAt;
  private final Throwable failure;
  private final AtomicInteger batches = new AtomicInteger(); // encodes so far
  private final Set<Stage<S>> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger made = new AtomicInteger();
  private final List<Thread> runThreads = new ArrayList<>(); // guarded by itself
  private final AtomicInteger running = new AtomicInteger(); // runs under way
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  private StagedTestEvaluator(Evaluator<S> delegate, Step failIn, int failAt, Throwable failure) {
    this.delegate = delegate;
    this.failIn = failIn;
    this.failAt = failAt;
    this.failure = failure;
  }

  /** {@code delegate}, staged, never failing. */
  static <S> StagedTestEvaluator<S> of(Evaluator<S> delegate) {
    return new StagedTestEvaluator<>(delegate, null, -1, null);
  }

  /**
   * {@code delegate}, staged, throwing {@code failure} (unchecked, an error, or a checked exception
   * thrown as {@link Sneaky} does) in {@code step} of batch {@code failAt} (from 0).
   */
  static <S> StagedTestEvaluator<S> failing(Evaluator<S> delegate, Step step, int failAt, Throwable failure) {
    return new StagedTestEvaluator<>(delegate, step, failAt, failure);
  }

  /** Stages made so far. */
  int stagesMade() {
    return made.get();
  }

  /** Stages made and not closed. */
  int stagesOpen() {
    return open.size();
  }

  /** The threads that ran a stage's {@code run}, in order of their first run. */
  List<Thread> runThreads() {
    synchronized (runThreads) {
      return List.copyOf(runThreads);
    }
  }

  /** The most runs that were ever under way at once (of any stage). */
  int mostRunsAtOnce() {
    return mostAtOnce.get();
  }

  @Override
  public Stage<S> newStage() {
    made.incrementAndGet();
    Stage<S> stage = new CopyingStage();
    open.add(stage);
    return stage;
  }

  @Override
  public String toString() {
    return "Staged(" + delegate + ")";
  }

  private final class CopyingStage implements Stage<S> {
    private EvaluationBatch<S> copy;
    private int batch = -1; // the number of the batch encoded, -1 after decode
    private boolean closed;

    private void maybeFail(Step step) {
      if (step == failIn && batch == failAt) {
        throw Sneaky.rethrow(failure);
      }
    }

    @Override
    public void encode(EvaluationBatch<S> b) {
      if (closed) {
        throw new IllegalStateException("stage closed");
      }
      batch = batches.getAndIncrement();
      if (copy == null || copy.actionCount() != b.actionCount()) {
        copy = new EvaluationBatch<>(b.actionCount());
      }
      copy.clear();
      int[] legal = new int[b.actionCount()];
      for (int row = 0; row < b.size(); row++) {
        int n = b.legalCount(row);
        for (int k = 0; k < n; k++) {
          legal[k] = b.legalAction(row, k);
        }
        copy.add(b.state(row), b.player(row), legal, n, b.random(row));
      }
      maybeFail(Step.ENCODE);
    }

    @Override
    public void run() {
      synchronized (runThreads) {
        if (!runThreads.contains(Thread.currentThread())) {
          runThreads.add(Thread.currentThread());
        }
      }
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        maybeFail(Step.RUN);
        delegate.evaluate(copy);
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public void decode(EvaluationBatch<S> b) {
      maybeFail(Step.DECODE);
      for (int row = 0; row < b.size(); row++) {
        if (copy.hasValue(row)) {
          b.setValue(row, copy.value(row));
        }
        for (int k = 0; k < b.legalCount(row); k++) {
          b.setPrior(row, k, copy.writtenPrior(row, k));
        }
      }
      batch = -1;
    }

    @Override
    public void close() {
      closed = true;
      open.remove(this);
    }
  }
}
