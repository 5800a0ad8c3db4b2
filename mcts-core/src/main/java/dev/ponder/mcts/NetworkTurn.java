package dev.ponder.mcts;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The network's turn between the two threads of an {@link SearchPool#overlapped overlapped pool}: one
 * thread at a time runs a batch. A thread waiting for its turn has nothing else to do (its own group
 * waits for the network), so it spins while the other thread's turn is no longer than twice the last
 * turn (at least 50 us): a wake-up from a park costs tens of microseconds here, a large part of a
 * batch. Past that (a network stalled, a thread descheduled) it parks, and the thread that ends its
 * turn wakes it. Before it parks, the waiter publishes itself and tries once more, and the holder
 * releases before it looks for a waiter, so one of the two always sees the other (volatile writes and
 * reads) and no wake-up is lost. Parks are bounded, so a waiter also sees a reason to give up
 * ({@code stop}) soon.
 */
final class NetworkTurn {

  /** The least time a waiter spins before it may park. */
  private static final long SPIN_NANOS = 50_000;
  /** The longest park between two looks at the stop condition. */
  private static final long PARK_NANOS = 1_000_000;

  private final AtomicBoolean held = new AtomicBoolean();
  private volatile Thread waiter;
  private volatile long takenAt; // System.nanoTime() when the current turn began
  private volatile long lastTurnNanos; // how long the last turn lasted

  /**
   * Takes the turn, waiting for it as long as needed unless {@code stop} becomes true first.
   *
   * @return whether the turn was taken ({@code false}: stopped)
   */
  boolean take(BooleanSupplier stop) {
    long start = System.nanoTime();
    while (!tryTake()) {
      long now = System.nanoTime();
      if (now - start > SPIN_NANOS && now - takenAt > 2 * lastTurnNanos) {
        return park(stop);
      }
      Thread.onSpinWait();
    }
    return true;
  }

  private boolean park(BooleanSupplier stop) {
    Thread me = Thread.currentThread();
    try {
      while (true) {
        waiter = me;
        if (tryTake()) {
          return true;
        }
        if (stop.getAsBoolean()) {
          return false;
        }
        LockSupport.parkNanos(this, PARK_NANOS);
      }
    } finally {
      waiter = null;
    }
  }

  /** Ends the turn taken by {@link #take} and wakes a parked waiter, if any. */
  void release() {
    lastTurnNanos = System.nanoTime() - takenAt;
    held.set(false);
    Thread parked = waiter;
    if (parked != null) {
      LockSupport.unpark(parked);
    }
  }

  private boolean tryTake() {
    if (!held.get() && held.compareAndSet(false, true)) {
      takenAt = System.nanoTime();
      return true;
    }
    return false;
  }
}
