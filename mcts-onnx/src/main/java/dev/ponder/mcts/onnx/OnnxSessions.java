package dev.ponder.mcts.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Opens ONNX Runtime sessions on a device, and checks a session's tensors against a contract. */
final class OnnxSessions {

  /** The most intra-op or inter-op threads a session may be given. */
  static final int MAX_THREADS = 1024;

  private static final System.Logger LOG = System.getLogger(OnnxSessions.class.getName());
  static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  /**
   * What the CUDA execution provider of onnxruntime_gpu 1.29.0 (Linux x64) needs: its NEEDED entries
   * ({@code readelf -d libonnxruntime_providers_cuda.so}) plus cuDNN 9, which it loads at run time.
   */
  static final List<String> CUDA_LIBRARIES_LINUX = List.of(
      "libcuda.so.1", "libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcurand.so.10",
      "libcudnn.so.9");
  static final List<String> CUDA_LIBRARIES_WINDOWS = List.of(
      "nvcuda.dll", "cudart64_12.dll", "cublas64_12.dll", "cublasLt64_12.dll", "curand64_10.dll",
      "cudnn64_9.dll");
  private static final Pattern CANNOT_OPEN = Pattern.compile(
      "([\\w.+-]+\\.(?:so(?:\\.\\d+)*|dll|dylib))\\s*:\\s*cannot open shared object file");

  /** Session settings of a builder. */
  record Settings(Device device, int intraOpThreads, int interOpThreads, boolean allowSpinning) {}

  /** An open session and the device it really runs on. */
  record Opened(OrtSession session, Device device) {}

  private OnnxSessions() {}

  static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "ponder");
  }

  static Opened open(OrtEnvironment env, Path model, Settings settings) {
    checkReadable(model);
    Device device = settings.device();
    if (!device.isCuda()) {
      return new Opened(create(env, model, settings, false), Device.cpu());
    }
    Throwable failure;
    try {
      return new Opened(create(env, model, settings, true), device);
    } catch (CudaFailure e) {
      failure = e.getCause();
    } catch (ModelLoadException e) {
      // Session creation failed with CUDA: the model, or the provider? Load on the CPU to tell.
      OrtSession cpu = create(env, model, settings, false); // throws if the model itself is bad
      failure = e.getCause();
      closeQuietly(cpu);
    }
    ExecutionProviderException error = cudaError(model, device, failure);
    if (!device.cpuFallback()) {
      throw error;
    }
    if (FALLBACK_LOGGED.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "CUDA unavailable, running ONNX models on the CPU instead: {0}",
          error.getMessage());
    }
    return new Opened(create(env, model, settings, false), Device.cpu());
  }

  private static void checkReadable(Path model) {
    if (!Files.exists(model)) {
      throw new ModelLoadException(model, "model file " + model + " does not exist");
    }
    if (Files.isDirectory(model)) {
      throw new ModelLoadException(model, "model file " + model + " is a directory");
    }
    if (!Files.isReadable(model)) {
      throw new ModelLoadException(model, "model file " + model + " cannot be read");
    }
  }

  /** Thrown inside {@link #create} when the CUDA provider cannot be added to the options. */
  private static final class CudaFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CudaFailure(Throwable cause) {
      super(cause);
    }
  }

  private static OrtSession create(OrtEnvironment env, Path model, Settings s, boolean cuda) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(s.intraOpThreads());
      options.setInterOpNumThreads(s.interOpThreads());
      options.setExecutionMode(s.interOpThreads() > 1
          ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
          : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      String spin = s.allowSpinning() ? "1" : "0";
      options.addConfigEntry("session.intra_op.allow_spinning", spin);
      options.addConfigEntry("session.inter_op.allow_spinning", spin);
      if (cuda) {
        try {
          options.addCUDA(s.device().deviceId());
        } catch (OrtException | LinkageError | RuntimeException e) {
          throw new CudaFailure(e);
        }
      }
      try {
        return env.createSession(model.toString(), options);
      } catch (OrtException e) {
        throw new ModelLoadException(model, "model file " + model
            + " could not be loaded by ONNX Runtime (is it an ONNX model?): "
            + ModelLoadException.oneLine(e.getMessage()), e);
      }
    } catch (OrtException e) {
      throw new ModelLoadException(model, "invalid ONNX Runtime session options for " + model + ": "
          + ModelLoadException.oneLine(e.getMessage()), e);
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // nothing more to do: the session was only opened to tell a bad model from missing CUDA
    }
  }

  /** The error for CUDA asked but unusable: ONNX Runtime's message and the missing libraries. */
  static ExecutionProviderException cudaError(Path model, Device device, Throwable failure) {
    String ortMessage = failure == null ? "" : ModelLoadException.oneLine(
        failure instanceof ModelLoadException m && m.getCause() != null
            ? m.getCause().getMessage() : failure.getMessage());
    boolean inBuild;
    try {
      inBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    } catch (RuntimeException | LinkageError e) {
      inBuild = false;
    }
    Set<String> missing = new LinkedHashSet<>();
    Matcher m = CANNOT_OPEN.matcher(ortMessage);
    while (m.find()) {
      missing.add(m.group(1));
    }
    if (!inBuild) {
      missing.add(System.mapLibraryName("onnxruntime_providers_cuda"));
    }
    missing.addAll(missingCudaLibraries());
    StringBuilder message = new StringBuilder()
        .append("model ").append(model).append(": ").append(device)
        .append(" was asked but CUDA cannot be used: ");
    if (!inBuild) {
      message.append("the ONNX Runtime on the class path has no CUDA execution provider (the CPU")
          .append(" artifact com.microsoft.onnxruntime:onnxruntime); depend on")
          .append(" com.microsoft.onnxruntime:onnxruntime_gpu instead (Maven profile 'cuda')");
    } else {
      message.append("the CUDA execution provider failed to load");
    }
    if (!missing.isEmpty()) {
      message.append("; missing native librar").append(missing.size() == 1 ? "y: " : "ies: ")
          .append(String.join(", ", missing));
    }
    message.append("; ONNX Runtime said: ").append(ortMessage.isEmpty() ? "(nothing)" : ortMessage)
        .append("; use Device.cuda().withCpuFallback() to run on the CPU instead");
    return new ExecutionProviderException(model, message.toString(), List.copyOf(missing), failure);
  }

  /** The CUDA libraries the provider needs that the dynamic linker would not find here. */
  static List<String> missingCudaLibraries() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    List<String> missing = new ArrayList<>();
    if (os.contains("win")) {
      List<String> dirs = pathList(System.getenv("PATH"));
      for (String lib : CUDA_LIBRARIES_WINDOWS) {
        if (dirs.stream().noneMatch(d -> Files.isRegularFile(Path.of(d, lib)))) {
          missing.add(lib);
        }
      }
      return missing;
    }
    if (!os.contains("linux")) {
      return missing; // no CUDA build of ONNX Runtime for other systems
    }
    List<String> dirs = new ArrayList<>(pathList(System.getenv("LD_LIBRARY_PATH")));
    dirs.addAll(List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
        "/usr/lib/x86_64-linux-gnu", "/usr/local/cuda/lib64", "/usr/lib/wsl/lib"));
    String cache = "";
    try {
      cache = new String(Files.readAllBytes(Path.of("/etc/ld.so.cache")), StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      // no linker cache: rely on the directories
    }
    for (String lib : CUDA_LIBRARIES_LINUX) {
      boolean found = cache.contains(lib + '\0')
          || dirs.stream().anyMatch(d -> Files.exists(Path.of(d, lib)));
      if (!found) {
        missing.add(lib);
      }
    }
    return missing;
  }

  private static List<String> pathList(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return List.of(value.split(Pattern.quote(File.pathSeparator))).stream()
        .filter(s -> !s.isBlank()).collect(Collectors.toList());
  }

  // ---- contract checks ----

  /** Formats a shape with N for a dynamic batch axis and ? for other symbolic axes. */
  static String shape(long[] dims) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(dims[i] >= 0 ? Long.toString(dims[i]) : i == 0 ? "N" : "?");
    }
    return b.append(']').toString();
  }

  /** The expected shape of a tensor: N then the per-row shape. */
  static String expectedShape(long[] rowShape) {
    long[] dims = new long[rowShape.length + 1];
    dims[0] = -1;
    System.arraycopy(rowShape, 0, dims, 1, rowShape.length);
    return shape(dims);
  }

  /**
   * The float tensor named {@code name} among a model's inputs or outputs.
   *
   * @param kind "input" or "output"
   * @param setting the builder method that sets the name, for the message
   */
  static TensorInfo floatTensor(Path model, String kind, String name, Map<String, NodeInfo> all,
      String setting) {
    NodeInfo node = all.get(name);
    if (node == null) {
      throw new ModelContractException(model, name, kind + " '" + name + "'",
          kind + "s " + quoted(all.keySet()), String.format(
              "model %s: no %s named '%s'; the model's %ss are %s (set the name with %s)",
              model, kind, name, kind, quoted(all.keySet()), setting));
    }
    ValueInfo info = node.getInfo();
    if (!(info instanceof TensorInfo tensor)) {
      throw new ModelContractException(model, name, "a FLOAT tensor", info.toString(),
          String.format("model %s: %s '%s' is not a tensor but %s", model, kind, name, info));
    }
    if (tensor.type != OnnxJavaType.FLOAT) {
      throw new ModelContractException(model, name, "FLOAT", tensor.type.toString(), String.format(
          "model %s: %s '%s' has element type %s, expected FLOAT (float32); shape %s",
          model, kind, name, tensor.type, shape(tensor.getShape())));
    }
    return tensor;
  }

  /**
   * {@link #floatTensor} then {@link #checkShape}: the named float tensor must have the shape
   * {@code [N, ...rowShape]}; returns its batch size (-1 if dynamic).
   */
  static long checkFloatTensor(Path model, String kind, String name, Map<String, NodeInfo> all,
      String setting, long[] rowShape, String why) {
    return checkShape(model, kind, name, floatTensor(model, kind, name, all, setting), rowShape, why);
  }

  /**
   * Checks a tensor's shape against {@code [N, ...rowShape]} (symbolic axes of the model are accepted)
   * and returns its batch size: -1 if dynamic.
   *
   * @param why where the expected shape comes from, for the message
   */
  static long checkShape(Path model, String kind, String name, TensorInfo tensor, long[] rowShape,
      String why) {
    long[] dims = tensor.getShape();
    boolean ok = dims.length == rowShape.length + 1;
    for (int i = 0; ok && i < rowShape.length; i++) {
      ok = dims[i + 1] < 0 || dims[i + 1] == rowShape[i];
    }
    if (!ok) {
      String expected = expectedShape(rowShape);
      String actual = shape(dims);
      throw new ModelContractException(model, name, expected, actual, String.format(
          "model %s: %s '%s' has shape %s, expected %s (%s)%s", model, kind, name, actual, expected,
          why, dims.length == rowShape.length + 1 ? "" : String.format(
              "; rank %d, expected %d", dims.length, rowShape.length + 1)));
    }
    return dims[0];
  }

  /** Checks that the model has no inputs other than the ones fed. */
  static void checkNoOtherInputs(Path model, Map<String, NodeInfo> all, Set<String> fed) {
    for (String name : all.keySet()) {
      if (!fed.contains(name)) {
        throw new ModelContractException(model, name, "inputs " + quoted(fed),
            "inputs " + quoted(all.keySet()), String.format(
                "model %s: input '%s' would not be fed; the model must take exactly the inputs %s,"
                    + " it takes %s", model, name, quoted(fed), quoted(all.keySet())));
      }
    }
  }

  /**
   * The batch size shared by a graph's inputs and outputs: 0 if dynamic, else the fixed size, which
   * every tensor must agree on.
   */
  static int batchSize(Path model, Map<String, Long> batchByTensor) {
    long fixed = -1;
    String first = null;
    for (Map.Entry<String, Long> e : batchByTensor.entrySet()) {
      long b = e.getValue();
      if (b < 0) {
        continue;
      }
      if (b == 0) {
        throw new ModelContractException(model, e.getKey(), "batch size N or > 0", "0",
            String.format("model %s: tensor '%s' has a batch axis of size 0", model, e.getKey()));
      }
      if (b > Integer.MAX_VALUE) {
        throw new ModelContractException(model, e.getKey(), "batch size N or at most " + Integer.MAX_VALUE,
            "" + b, String.format("model %s: tensor '%s' has a batch axis of size %d; a fixed batch size must"
                + " be at most %d", model, e.getKey(), b, Integer.MAX_VALUE));
      }
      if (fixed < 0) {
        fixed = b;
        first = e.getKey();
      } else if (b != fixed) {
        throw new ModelContractException(model, e.getKey(), "batch size " + fixed, "" + b,
            String.format("model %s: tensor '%s' has batch size %d but '%s' has %d", model,
                e.getKey(), b, first, fixed));
      }
    }
    return fixed < 0 ? 0 : Math.toIntExact(fixed);
  }

  static String quoted(Set<String> names) {
    return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ", "[", "]"));
  }

  static Map<String, NodeInfo> inputs(OrtSession session, Path model) {
    try {
      return session.getInputInfo();
    } catch (OrtException e) {
      throw new ModelLoadException(model, "cannot read the inputs of model " + model + ": "
          + ModelLoadException.oneLine(e.getMessage()), e);
    }
  }

  static Map<String, NodeInfo> outputs(OrtSession session, Path model) {
    try {
      return session.getOutputInfo();
    } catch (OrtException e) {
      throw new ModelLoadException(model, "cannot read the outputs of model " + model + ": "
          + ModelLoadException.oneLine(e.getMessage()), e);
    }
  }
}
