package dev.ponder.mcts;

/**
 * Throws a checked exception where none is declared, as code in Kotlin or Scala (or Java with a generic
 * rethrow) may do from an evaluator: the library must clean up after it as after any other failure.
 */
final class Sneaky {

  private Sneaky() {}

  /** Throws {@code failure} as it is, checked or not. */
  static RuntimeException rethrow(Throwable failure) {
    Sneaky.<RuntimeException>throwAs(failure);
    return null; // not reached
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwAs(Throwable failure) throws T {
    throw (T) failure;
  }
}
