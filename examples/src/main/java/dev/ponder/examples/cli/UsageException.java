package dev.ponder.examples.cli;

/** Bad input found while running a command (not while parsing it): exit code 2 and a one-line message. */
public final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error with a message naming the problem. */
  public UsageException(String message) {
    super(message);
  }

  /** Throws a {@link UsageException} with the formatted message unless {@code condition} holds. */
  static void require(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new UsageException(String.format(format, args));
    }
  }
}
