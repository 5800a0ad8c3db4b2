package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.util.concurrent.Uninterruptibles;
import java.util.concurrent.locks.LockSupport;

/**
 * The second thread of an {@link SearchPool#overlapped overlapped pool}: a daemon thread, kept for the
 * pool's life, that runs the tasks handed to it, in order (the pool hands it one per search call: the
 * search of its group of trees).
 *
 * <p><b>Hand-off.</b> Up to {@link #CAPACITY} tasks are queued in a ring of slots with two counters,
 * {@code posted} (written by the client) and {@code finished} (written by this thread). Both are
 * volatile: the write of a counter publishes the slot written before it (the task to run, or the
 * failure of a task). A side with nothing to do spins a bounded number of times
 * ({@link Thread#onSpinWait}), so that a quick hand-off costs well under a microsecond, then parks.
 * Before it parks it raises a volatile flag and reads the counter once more; the other side writes the
 * counter, then reads the flag and unparks it if raised. One of the two always sees the other's write,
 * so no wake-up is lost (a stale unpark only makes a later park return early, and every park is in a
 * loop).
 *
 * <p>This thread always spins before it parks, so that a task handed over soon after the last (the
 * next search call of a self-play loop) starts without the system call of a wake-up. The client spins
 * only when its last wait was short: a long wait is better parked.
 *
 * <p>One client thread at a time. A task's {@link RuntimeException} or {@link Error} is rethrown by
 * {@link #await} to the client; this thread goes on. An interrupted client keeps its flag while it
 * waits (it yields instead of parking), so that the task's searches see it and end. {@link #close} stops the thread once the queued
 * tasks are over; a client awaiting a task that will never run gets an
 * {@link IllegalStateException}, so no caller is left waiting.
 */
final class EvaluatorThread implements AutoCloseable {

  /** Tasks that may be queued at once by default. */
  static final int CAPACITY = 2;
  /** Spins before parking; about 25 ns each on the machine measured, so about 50 us. */
  private static final int SPINS = 2048;
  /** A client wait at least this long makes the client park at once the next time. */
  private static final long SHORT_WAIT_NANOS = 50_000;

  private final Thread thread;
  private final int capacity;
  private final Runnable[] tasks;
  private final Throwable[] failures;
  private volatile long posted; // tasks handed over, ever
  private volatile long finished; // tasks over, ever
  private volatile boolean workerParks;
  private volatile Thread clientParks;
  private volatile boolean stopping;
  private volatile boolean terminated;
  private long awaited; // tasks awaited by the client, ever (client only)
  private boolean clientSpins = true; // (client only)

  /** Starts a daemon thread of this name. */
  EvaluatorThread(String name) {
    this(name, CAPACITY);
  }

  /** Starts a daemon thread of this name that queues up to {@code capacity} tasks. */
  EvaluatorThread(String name, int capacity) {
    this.capacity = capacity;
    this.tasks = new Runnable[capacity];
    this.failures = new Throwable[capacity];
    thread = new Thread(this::work, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs handed over and not yet awaited. Client only. */
  int pending() {
    return (int) (posted - awaited);
  }

  /**
   * Hands over {@code task}. Client only.
   *
   * @throws IllegalStateException if closed, or if {@link #CAPACITY} tasks are pending already
   */
  void post(Runnable task) {
    checkState(!stopping, "the search pool is closed");
    long ticket = posted;
    checkState(ticket - awaited < capacity, "%s tasks are pending already", capacity);
    tasks[(int) (ticket % capacity)] = task;
    posted = ticket + 1; // publishes the task
    if (workerParks) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * Waits until the oldest pending task is over. Client only.
   *
   * @throws Throwable what the task threw, as it was thrown (checked or not)
   * @throws IllegalStateException if the thread was closed before the task ran
   */
  void await() {
    long ticket = awaited + 1;
    checkState(ticket <= posted, "no task is pending");
    awaited = ticket; // whatever happens: a task that will never run is not awaited twice
    if (finished < ticket) {
      waitFor(ticket);
    }
    int slot = (int) ((ticket - 1) % capacity);
    Throwable failure = failures[slot];
    failures[slot] = null;
    Failures.rethrow(failure);
  }

  private void waitFor(long ticket) {
    long start = System.nanoTime();
    for (int spins = clientSpins ? SPINS : 0; spins > 0; spins--) {
      if (finished >= ticket) {
        clientSpins = true;
        return;
      }
      Thread.onSpinWait();
    }
    Thread me = Thread.currentThread();
    clientParks = me;
    try {
      while (finished < ticket) {
        if (terminated) {
          if (finished >= ticket) {
            break;
          }
          throw new IllegalStateException("the search pool was closed before its evaluator thread"
              + " could run its task");
        }
        if (me.isInterrupted()) {
          // The flag stays set: the task's searches read it in their stop rule and end soon. A park
          // would return at once while it is set, so yield instead.
          Thread.yield();
        } else {
          LockSupport.park(this);
        }
      }
    } finally {
      clientParks = null;
    }
    clientSpins = System.nanoTime() - start < SHORT_WAIT_NANOS;
  }

  private void work() {
    long done = 0;
    while (true) {
      if (posted == done) {
        int spins = SPINS;
        while (posted == done) {
          if (stopping) {
            terminated = true;
            Thread client = clientParks;
            if (client != null) {
              LockSupport.unpark(client);
            }
            return;
          }
          if (spins > 0) {
            spins--;
            Thread.onSpinWait();
            continue;
          }
          workerParks = true;
          if (posted == done && !stopping) {
            LockSupport.park(this);
          }
          workerParks = false;
          Thread.interrupted(); // nobody should interrupt this thread; never spin on the flag
        }
      }
      int slot = (int) (done % capacity);
      Runnable task = tasks[slot];
      tasks[slot] = null;
      Throwable failure = null;
      try {
        task.run();
      } catch (Throwable t) { // every failure goes to the client, which always gets an answer
        failure = t;
      }
      failures[slot] = failure;
      finished = ++done; // publishes the failure
      Thread client = clientParks;
      if (client != null) {
        LockSupport.unpark(client);
      }
    }
  }

  /** Whether the thread is still alive. */
  boolean isAlive() {
    return thread.isAlive();
  }

  /**
   * Stops the thread once the queued tasks are over, and waits for it to end (unless called from it).
   * Idempotent.
   */
  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() != thread) {
      Uninterruptibles.joinUninterruptibly(thread);
    }
  }
}
