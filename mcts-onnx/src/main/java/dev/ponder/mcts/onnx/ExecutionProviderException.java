package dev.ponder.mcts.onnx;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.List;

/**
 * The device asked for (CUDA) cannot run the model: the ONNX Runtime on the class path has no CUDA
 * provider (the CPU artifact), or the provider's native libraries (CUDA 12, cuBLAS, cuDNN 9...) cannot
 * be loaded. The message keeps ONNX Runtime's own message and names the missing libraries when they
 * can be told. Ask for {@link Device#withCpuFallback()} to run on the CPU instead.
 */
public final class ExecutionProviderException extends ModelLoadException {

  private static final long serialVersionUID = 1L;

  private final transient ImmutableList<String> missingLibraries;

  ExecutionProviderException(
      Path model, String message, List<String> missingLibraries, Throwable cause) {
    super(model, message, cause);
    this.missingLibraries = ImmutableList.copyOf(missingLibraries);
  }

  /**
   * The native libraries found missing (file names such as {@code libcublasLt.so.12}); empty when
   * none could be told, for example because the CUDA provider is not in the ONNX Runtime build at all.
   */
  public List<String> missingLibraries() {
    return missingLibraries;
  }
}
