package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges the batches that many threads evaluate at once into larger calls of one evaluator, the way
 * GPU inference servers do: a thread's {@link #evaluate} queues its batch and waits; a dispatcher thread
 * takes queued batches until it has {@code maxBatch} states or the oldest has waited {@code maxWait},
 * evaluates them in one call of the delegate, and hands each thread its answers. Use it with a
 * threaded search ({@link SearchConfig#threads()} above 1) or several searches on their own threads
 * that share a network.
 *
 * <p>A batch is never split between calls. If the delegate throws, every thread whose batch was in
 * that call gets the exception; {@link #close} fails the batches still queued and makes later calls
 * throw: no caller is ever left waiting. The delegate is called from the dispatcher thread only, so it
 * need not be thread-safe.
 *
 * @param <S> the state type
 */
public final class BatchingEvaluator<S> implements Evaluator<S>, AutoCloseable {

  private final Evaluator<S> delegate;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private final Thread dispatcher;
  private int queuedRows; // guarded by lock
  private boolean closed; // guarded by lock
  private long calls; // guarded by lock
  private long rows; // guarded by lock
  private int actionCount; // of every batch, set by the first; guarded by lock

  /**
   * @param delegate the evaluator that answers the merged batches
   * @param maxBatch states per merged call: a call is made as soon as this many are queued
   * @param maxWait how long a queued batch may wait for others before its call is made anyway
   */
  public BatchingEvaluator(Evaluator<S> delegate, int maxBatch, Duration maxWait) {
    this.delegate = checkNotNull(delegate, "delegate must not be null");
    checkArgument(maxBatch >= 1, "maxBatch must be at least 1, was %s", maxBatch);
    checkNotNull(maxWait, "maxWait must not be null");
    checkArgument(!maxWait.isNegative(), "maxWait must not be negative, was %s", maxWait);
    checkArgument(maxWait.compareTo(Duration.ofNanos(Long.MAX_VALUE)) <= 0,
        "maxWait must be at most Long.MAX_VALUE nanoseconds (about 292 years), was %s", maxWait);
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWait.toNanos();
    this.dispatcher = new Thread(this::dispatch, "ponder-batching-evaluator");
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  /** Merged calls made to the delegate so far. */
  public long calls() {
    lock.lock();
    try {
      return calls;
    } finally {
      lock.unlock();
    }
  }

  /** States evaluated so far; divided by {@link #calls()}, the mean merged batch size. */
  public long evaluations() {
    lock.lock();
    try {
      return rows;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void evaluate(EvaluationBatch<S> batch) {
    checkNotNull(batch, "batch must not be null");
    if (batch.size() == 0) {
      return;
    }
    Request request = new Request(batch);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(this + " is closed");
      }
      if (actionCount == 0) {
        actionCount = batch.actionCount();
      }
      checkArgument(batch.actionCount() == actionCount, "the batch has %s actions but %s merges batches of %s"
          + " (the first it was given): one BatchingEvaluator serves one action space", batch.actionCount(),
          this, actionCount);
      queue.add(request);
      queuedRows += batch.size();
      queued.signalAll();
    } finally {
      lock.unlock();
    }
    request.awaitDone();
    Failures.rethrow(request.failure);
  }

  private void dispatch() {
    EvaluationBatch<S> merged = null;
    List<Request> taken = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          queued.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return; // closed and drained
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (queuedRows < maxBatch && !closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            queued.awaitNanos(left);
          } catch (InterruptedException e) {
            break; // nobody interrupts the dispatcher; if it happens, dispatch what is queued
          }
        }
        int size = 0;
        while (!queue.isEmpty() && (taken.isEmpty() || size + queue.peek().batch.size() <= maxBatch)) {
          Request r = queue.poll();
          size += r.batch.size();
          taken.add(r);
        }
        if (taken.isEmpty()) {
          continue; // closed while waiting for more: close() failed the queued batches
        }
        queuedRows -= size;
        calls++;
        rows += size;
      } finally {
        lock.unlock();
      }
      if (merged == null) {
        merged = new EvaluationBatch<>(taken.get(0).batch.actionCount());
      }
      answer(merged, taken);
      taken.clear();
    }
  }

  /** Evaluates the taken batches in one call and hands each its answers; always completes them. */
  private void answer(EvaluationBatch<S> merged, List<Request> taken) {
    Throwable failure = null;
    try {
      merged.clear();
      int[] legal = new int[merged.actionCount()];
      for (Request r : taken) {
        EvaluationBatch<S> b = r.batch;
        for (int row = 0; row < b.size(); row++) {
          int n = b.legalCount(row);
          for (int k = 0; k < n; k++) {
            legal[k] = b.legalAction(row, k);
          }
          merged.add(b.state(row), b.player(row), legal, n, b.random(row));
        }
      }
      delegate.evaluate(merged);
      int m = 0;
      for (Request r : taken) {
        EvaluationBatch<S> b = r.batch;
        for (int row = 0; row < b.size(); row++, m++) {
          for (int k = 0; k < b.legalCount(row); k++) {
            b.setPrior(row, k, merged.writtenPrior(m, k));
          }
          if (merged.hasValue(m)) {
            b.setValue(row, merged.value(m));
          }
        }
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      for (Request r : taken) {
        r.finish(failure);
      }
    }
  }

  /** Fails the queued batches, refuses new ones and stops the dispatcher once its call is answered. */
  @Override
  public void close() {
    List<Request> dropped;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      queuedRows = 0;
      queued.signalAll();
    } finally {
      lock.unlock();
    }
    IllegalStateException refused = new IllegalStateException(this + " was closed before evaluating");
    for (Request r : dropped) {
      r.finish(refused);
    }
    boolean interrupted = false; // the dispatcher finishes the call it is in, then sees closed

    while (dispatcher.isAlive()) {
      try {
        dispatcher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "BatchingEvaluator(" + delegate + ", maxBatch=" + maxBatch + ")";
  }

  /** One thread's batch, waiting for its answers. */
  private final class Request {
    final EvaluationBatch<S> batch;
    private final ReentrantLock doneLock = new ReentrantLock();
    private final Condition doneSignal = doneLock.newCondition();
    private boolean done;
    Throwable failure;

    Request(EvaluationBatch<S> batch) {
      this.batch = batch;
    }

    void finish(Throwable failed) {
      doneLock.lock();
      try {
        failure = failed;
        done = true;
        doneSignal.signalAll();
      } finally {
        doneLock.unlock();
      }
    }

    /** Waits for the answers; an interrupt is kept for later, since the batch is being evaluated. */
    void awaitDone() {
      doneLock.lock();
      try {
        while (!done) {
          doneSignal.awaitUninterruptibly();
        }
      } finally {
        doneLock.unlock();
      }
    }
  }
}
