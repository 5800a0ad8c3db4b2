package dev.ponder.mcts.onnx;

import java.nio.file.Path;

/**
 * A model could not be loaded: the file is missing or unreadable, is not an ONNX model, or the device
 * asked for cannot run it. Thrown when the model loads, never later.
 *
 * <p>{@link #getMessage()} is a complete one-line description naming the model file, suitable for a
 * command line tool to print as is. Subclasses tell the cases apart: {@link ModelContractException}
 * (the model does not fit the environment) and {@link ExecutionProviderException} (CUDA unavailable).
 */
public class ModelLoadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path model;

  /** An exception about {@code model}; the message should name it. */
  public ModelLoadException(Path model, String message) {
    this(model, message, null);
  }

  /** An exception about {@code model} with its cause; the message should name it. */
  public ModelLoadException(Path model, String message, Throwable cause) {
    super(oneLine(message), cause);
    this.model = model;
  }

  /** The model file the exception is about. */
  public Path model() {
    return model;
  }

  /** Joins the lines of a (native) message into one line. */
  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
