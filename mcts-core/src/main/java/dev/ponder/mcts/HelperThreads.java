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
   * and returns once every share is over. If the caller is interrupted meanwhile, the interruption is
   * passed on to {@code owner} (whose flag the shares' stop rules read) and kept for the caller.
   */
  static void run(int shares, Thread owner, IntConsumer share) {
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
        } catch (InterruptedException e) {
          interrupted = true; // the shares see the owner's flag in their stop rule and end soon
          owner.interrupt();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
