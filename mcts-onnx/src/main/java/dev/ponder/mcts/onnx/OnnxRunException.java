package dev.ponder.mcts.onnx;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;

/** ONNX Runtime failed while running a model that had loaded; the message keeps its message. */
public final class OnnxRunException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  OnnxRunException(Path model, OrtException cause) {
    super("running model " + model + " failed: " + ModelLoadException.oneLine(cause.getMessage()),
        cause);
  }
}
