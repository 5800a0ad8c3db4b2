package dev.ponder.mcts;

/**
 * Hands a failure caught on one thread to the thread that must see it, unchanged. The library catches
 * {@link Throwable}, not only unchecked exceptions, wherever it cleans up after an evaluator or an
 * environment: code in another JVM language (or Java that throws "sneakily") may throw a checked
 * exception that the interface does not declare, and it must leave the tree as consistent, and reach
 * the caller as surely, as any other failure.
 */
final class Failures {

  private Failures() {}

  /** Throws {@code failure} as it was thrown, checked or not; does nothing for null. */
  static void rethrow(Throwable failure) {
    if (failure != null) {
      Failures.<RuntimeException>throwAs(failure);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwAs(Throwable failure) throws T {
    throw (T) failure;
  }
}
