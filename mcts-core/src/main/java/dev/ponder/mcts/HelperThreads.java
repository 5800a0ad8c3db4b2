package dev.ponder.mcts;

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
   */
  static void run(int shares, Interruption interruption, IntConsumer share) {
    Thread[] helpers = new Thread[shares - 1];
    for (int i = 1; i < shares; i++) {
      int index = i;
      helpers[i - 1] = new Thread(() -> share.accept(index), "ponder-search-" + i);
      helpers[i - 1].setDaemon(true);
      helpers[i - 1].start();
    }
    share.accept(0);
    boolean interrupted = false;
    for (Thread helper : helpers) {
      while (true) {
        try {
          helper.join();
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
}
