package dev.ponder.mcts;

/**
 * The interruption of a search call: its calling thread's interrupt flag, or a request recorded while
 * that thread waited for helper threads (a wait that clears the flag, and that must not spin on it).
 * The stop rules of the call's searches read it, on any thread.
 */
final class Interruption {

  private final Thread owner;
  private volatile boolean requested;

  /** The interruption of a call made on {@code owner}. */
  Interruption(Thread owner) {
    this.owner = owner;
  }

  /** Whether the call was interrupted: the owner's flag is set, or was while it waited. */
  boolean isRequested() {
    return requested || owner.isInterrupted();
  }

  /** Records that the owner was interrupted while it waited (its flag is restored when the wait ends). */
  void request() {
    requested = true;
  }
}
