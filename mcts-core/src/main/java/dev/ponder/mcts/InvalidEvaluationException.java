package dev.ponder.mcts;

/**
 * An evaluator answered with something the search cannot use: a non-finite value, a negative or
 * non-finite prior, or no value at all. The message names the evaluator, the batch row and the number.
 * The search tree is left as it was before the batch.
 */
public final class InvalidEvaluationException extends IllegalStateException {

  /** An exception with the given message. */
  public InvalidEvaluationException(String message) {
    super(message);
  }
}
