package dev.ponder.mcts;

import java.util.function.BiFunction;
import java.util.function.IntConsumer;

/**
 * Work shared between the calling thread and helper threads, for a search of one tree by several
 * threads and for a parallel pool: the caller does share 0, daemon threads named
 * {@code ponder-search-i} do shares 1 to n-1, and the caller waits for them. Each share records its
 * own failure (the first one wins) and stops when another share failed; the caller rethrows it
 * ({@link Failures#rethrow}).
 */
final class HelperThreads {

  private HelperThreads() {}

  /**
   * Runs {@code share.accept(i)} for {@code i} in {@code [0, shares)}, share 0 on the calling thread,
   * and returns once every share is over. If the caller is interrupted while it waits for the others,
   * the interruption is recorded in {@code interruption} (which the shares' stop rules read) and the
   * caller's flag is set again when the wait is over: the wait neither spins on the flag nor hides it.
   * If a helper cannot be started, the ones started are stopped (through {@code interruption}) and
   * joined before the failure is thrown: no share runs on once this returns or throws.
   */
  static void run(int shares, Interruption interruption, IntConsumer share) {
    Thread[] helpers = new Thread[shares - 1];
    int started = 0;
    try {
      for (int i = 1; i < shares; i++) {
        int index = i;
        helpers[i - 1] = threads.apply(() -> share.accept(index), "ponder-search-" + i);
        helpers[i - 1].setDaemon(true);
        helpers[i - 1].start();
        started++;
      }
    } catch (Throwable e) { // no thread to be had (a thread limit, no memory for a stack)
      interruption.request(); // the shares started stop at their next step: join them, then fail
      join(helpers, started, interruption);
      throw e;
    }
    share.accept(0);
    join(helpers, started, interruption);
  }

  /** Joins the first {@code count} helpers; an interruption meanwhile is recorded, then kept. */
  private static void join(Thread[] helpers, int count, Interruption interruption) {
    boolean interrupted = false;
    for (int i = 0; i < count; i++) {
      while (true) {
        try {
          helpers[i].join();
          break;
        } catch (InterruptedException e) { // the flag is now clear: join again, without spinning
          interrupted = true;
          interruption.request();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes the helper threads: {@code new Thread(task, name)}; tests make it fail. */
  static volatile BiFunction<Runnable, String, Thread> threads = Thread::new;
}
