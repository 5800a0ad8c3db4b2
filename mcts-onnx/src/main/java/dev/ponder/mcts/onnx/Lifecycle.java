package dev.ponder.mcts.onnx;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Guards native resources against use after close: calls run under the read lock, so any number run
 * at once; {@link #close} marks the owner closed, then takes the write lock, which waits for the calls
 * in flight, and releases the resources exactly once. A call that starts after {@code close} began
 * fails with an {@link IllegalStateException}. ONNX Runtime crashes the JVM when a session or tensor is
 * closed under a running call; this makes that impossible through our API.
 */
final class Lifecycle {

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final String owner;
  private volatile boolean closed;
  private boolean released; // guarded by the write lock

  Lifecycle(String owner) {
    this.owner = owner;
  }

  /** Enters a call; throws if closed. Pair with {@link #exit()} in a finally block. */
  void enter() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new IllegalStateException(owner + " is closed");
    }
  }

  /**
   * Enters a call if not closed; returns whether it did (then pair with {@link #exit()} in a finally
   * block).
   */
  boolean tryEnter() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      return false;
    }
    return true;
  }

  void exit() {
    lock.readLock().unlock();
  }

  boolean isClosed() {
    return closed;
  }

  /** Refuses new calls, waits for the calls in flight, then runs {@code release} once. */
  void close(Runnable release) {
    if (lock.getReadHoldCount() > 0) {
      throw new IllegalStateException(owner + ": close() called from inside one of its own calls");
    }
    closed = true;
    lock.writeLock().lock();
    try {
      if (!released) {
        released = true;
        release.run();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
