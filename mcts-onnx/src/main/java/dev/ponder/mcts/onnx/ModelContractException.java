package dev.ponder.mcts.onnx;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;

/**
 * A model loaded but does not fit what the caller declared: a tensor is missing or extra, or has the
 * wrong element type, rank or size. The message names the model file, the tensor, what was expected
 * and what the model has, for example {@code model policy.onnx: input 'observation' has shape [N, 43],
 * expected [N, 42] (the encoder's observation shape)}.
 */
public final class ModelContractException extends ModelLoadException {

  private static final long serialVersionUID = 1L;

  private final String tensor;
  private final String expected;
  private final String actual;

  /**
   * An exception about one tensor of a model.
   *
   * @param model the model file
   * @param tensor the tensor's name
   * @param expected what the caller declared (a shape, an element type, a name)
   * @param actual what the model has
   * @param message the full one-line message
   */
  public ModelContractException(
      Path model, String tensor, String expected, String actual, String message) {
    super(model, message);
    this.tensor = checkNotNull(tensor, "tensor");
    this.expected = checkNotNull(expected, "expected");
    this.actual = checkNotNull(actual, "actual");
  }

  /** The name of the tensor that does not fit (as in the model, or as configured if missing). */
  public String tensor() {
    return tensor;
  }

  /** What was expected, e.g. {@code [N, 42]} or {@code FLOAT}. */
  public String expected() {
    return expected;
  }

  /** What the model has, e.g. {@code [N, 43]} or {@code DOUBLE}. */
  public String actual() {
    return actual;
  }
}
