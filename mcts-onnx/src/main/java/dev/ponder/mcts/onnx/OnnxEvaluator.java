package dev.ponder.mcts.onnx;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.StagedEvaluator;
import java.nio.BufferOverflowException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * An {@link dev.ponder.mcts.Evaluator} backed by a policy/value network in an ONNX model, run by ONNX Runtime.
 *
 * <p><b>Model contract.</b> One float input {@code [N, ...shape]} (the {@link ObservationEncoder}'s
 * shape; default name {@code observation}) and two float outputs: policy logits {@code [N, A]} (default
 * name {@code policy}) and a value {@code [N]} or {@code [N, 1]} in {@code [-1, 1]} from the point of
 * view of the player to move (default name {@code value}), where A is the action count. The batch axis
 * N is dynamic, or fixed, in which case batches are fed in chunks of that size, the last one padded
 * with zeros. Everything is checked when the model loads ({@link ModelContractException}); the
 * outputs are checked on every call: a NaN or infinite logit or value, or a value outside
 * {@code [-1, 1]}, throws an {@link InvalidEvaluationException} naming the batch row.
 *
 * <p><b>Priors.</b> Logits of illegal actions are masked before the softmax
 * ({@link EvaluationBatch#setPriorLogits}); if every legal action underflows to zero the priors are
 * uniform over the legal actions.
 *
 * <p><b>Stages.</b> A {@link StagedEvaluator}: {@link Stage#encode} writes the observations into the
 * stage's own direct input buffers, {@link Stage#run} is only the ONNX Runtime call (chunked and
 * padded as above) into the stage's pinned output tensors, and {@link Stage#decode} copies the
 * outputs, checks them and writes priors and values. An {@link dev.ponder.mcts.SearchPool#overlapped
 * overlapped pool} so keeps the thread in the network on the network alone. A stage gives exactly what
 * {@link #evaluate} gives.
 *
 * <p><b>Performance.</b> States are encoded straight into direct buffers under tensors created once
 * per batch size, and outputs are written in place into pre-allocated tensors, then copied into Java
 * arrays: no ONNX Runtime object escapes. Batches above {@code maxBatch} are split into chunks. One
 * intra-op thread by default: more rarely pay on a shared machine.
 *
 * <p><b>Threads and lifecycle.</b> Thread-safe: concurrent {@link #evaluate} calls run in parallel,
 * each with its own buffers and tensors (taken from a pool that grows to the number of threads that
 * ever call at once), and so do the stages, each used by one thread at a time. {@link #close} is
 * idempotent, makes later calls throw {@link IllegalStateException}, and waits for the calls and stage
 * runs in flight before it frees native memory (every stage's too), so closing while other threads
 * evaluate cannot crash the JVM. A stage does not keep its evaluator open: once the evaluator is
 * closed, each step of every stage throws {@link IllegalStateException}, and closing the stage does
 * nothing.
 *
 * <pre>{@code
 * try (OnnxEvaluator<Board> net = OnnxEvaluator.builder(Path.of("c4.onnx"), encoder, 7)
 *     .maxBatch(64)
 *     .build()) {
 *   // use net as the search's Evaluator
 * }
 * }</pre>
 *
 * @param <S> the state type
 */
public final class OnnxEvaluator<S> implements StagedEvaluator<S>, AutoCloseable {

  /** Default name of the observation input. */
  public static final String DEFAULT_INPUT = "observation";
  /** Default name of the policy logits output. */
  public static final String DEFAULT_POLICY = "policy";
  /** Default name of the value output. */
  public static final String DEFAULT_VALUE = "value";

  private final Path model;
  private final ObservationEncoder<S> encoder;
  private final int actionCount;
  private final int observationSize;
  private final String policyName;
  private final String valueName;
  private final Device device;
  private final int fixedBatch;
  private final GraphRunner runner;
  private final OnnxSessions.Settings settings;
  private final List<GraphRunner.Port> inputPorts;
  private final List<GraphRunner.Port> outputPorts;
  private final int maxBatch;
  private final boolean sessionPerStage;
  private final Set<GraphRunner> stageRunners = ConcurrentHashMap.newKeySet(); // sessions of stages
  private final Lifecycle lifecycle;
  private final ConcurrentLinkedDeque<OnnxStage> free = new ConcurrentLinkedDeque<>(); // for evaluate

  private OnnxEvaluator(Builder<S> b) {
    this.model = b.model;
    this.encoder = b.encoder;
    this.actionCount = b.actionCount;
    this.policyName = b.policyName;
    this.valueName = b.valueName;
    long[] rowShape = toLongs(b.shape);
    this.observationSize = rowSize("the encoder's shape()", rowShape);
    OrtEnvironment env = OnnxSessions.environment();
    this.settings =
        new OnnxSessions.Settings(b.device, b.intraOpThreads, b.interOpThreads, b.allowSpinning);
    this.maxBatch = b.maxBatch;
    this.sessionPerStage = b.sessionPerStage;
    OnnxSessions.Opened opened = OnnxSessions.open(env, model, settings);
    this.device = opened.device();
    try {
      Map<String, NodeInfo> inputs = OnnxSessions.inputs(opened.session(), model);
      Map<String, NodeInfo> outputs = OnnxSessions.outputs(opened.session(), model);
      TensorInfo in = OnnxSessions.floatTensor(model, "input", b.inputName, inputs, "inputName(..)");
      OnnxSessions.checkNoOtherInputs(model, inputs, Set.of(b.inputName));
      TensorInfo policy =
          OnnxSessions.floatTensor(model, "output", policyName, outputs, "policyOutput(..)");
      TensorInfo value =
          OnnxSessions.floatTensor(model, "output", valueName, outputs, "valueOutput(..)");
      Map<String, Long> batches = new LinkedHashMap<>();
      batches.put(b.inputName, OnnxSessions.checkShape(model, "input", b.inputName, in, rowShape,
          "the encoder's observation shape"));
      batches.put(policyName, OnnxSessions.checkShape(model, "output", policyName, policy,
          new long[] {actionCount}, "policy logits over " + actionCount + " actions"));
      long[] valueRow = value.getShape().length == 1 ? new long[0] : new long[] {1};
      batches.put(valueName, OnnxSessions.checkShape(model, "output", valueName, value, valueRow,
          "one value per state: [N] or [N, 1]"));
      this.fixedBatch = OnnxSessions.batchSize(model, batches);
      this.inputPorts = List.of(new GraphRunner.Port(b.inputName, rowShape));
      this.outputPorts = List.of(new GraphRunner.Port(policyName, new long[] {actionCount}),
          new GraphRunner.Port(valueName, valueRow));
      this.runner = runnerOver(opened.session());
    } catch (RuntimeException e) {
      try {
        opened.session().close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    this.lifecycle = new Lifecycle(toString());
  }

  /**
   * A builder for an evaluator of the model file {@code model}.
   *
   * @param model an ONNX model file
   * @param encoder writes the observation of a state
   * @param actionCount size A of the action space: the width of the policy output
   */
  public static <S> Builder<S> builder(Path model, ObservationEncoder<S> encoder, int actionCount) {
    return new Builder<>(model, encoder, actionCount);
  }

  @Override
  public void evaluate(EvaluationBatch<S> batch) {
    checkBatch(batch);
    lifecycle.enter(); // a closed evaluator refuses even an empty batch
    try {
      if (batch.size() == 0) {
        return;
      }
      OnnxStage stage = free.pollFirst();
      if (stage == null) {
        stage = new OnnxStage(runner); // whole calls share the evaluator's session
      }
      try {
        stage.encodeRows(batch);
        stage.call.run();
        stage.decodeRows(batch);
      } finally {
        free.addFirst(stage);
      }
    } finally {
      lifecycle.exit();
    }
  }

  /** Floats of direct buffer held by the stages {@link #evaluate} keeps for reuse (for tests). */
  long evaluateBufferFloats() {
    long floats = 0;
    for (OnnxStage stage : free) {
      floats += stage.call.bufferFloats();
    }
    return floats;
  }

  /**
   * A new stage with its own buffers and tensors (made for each batch size on first need, then
   * reused), and its own session if {@link Builder#sessionPerStage} was set. Close it when done;
   * closing the evaluator frees it too.
   *
   * @throws IllegalStateException if this evaluator is closed
   */
  @Override
  public Stage<S> newStage() {
    lifecycle.enter();
    try {
      if (!sessionPerStage) {
        return new OnnxStage(runner);
      }
      // the model was checked when the first session opened it: the same file, the same settings
      GraphRunner own =
          runnerOver(OnnxSessions.open(OnnxSessions.environment(), model, settings).session());
      stageRunners.add(own);
      return new OnnxStage(own);
    } finally {
      lifecycle.exit();
    }
  }

  /** A runner of this evaluator's model, its ports and batch sizes over {@code session}. */
  private GraphRunner runnerOver(OrtSession session) {
    return new GraphRunner(OnnxSessions.environment(), session, model, inputPorts, outputPorts, fixedBatch,
        maxBatch);
  }

  private void checkBatch(EvaluationBatch<S> batch) {
    checkNotNull(batch, "batch");
    checkArgument(batch.actionCount() == actionCount,
        "the batch has %s actions but %s was built for %s", batch.actionCount(), this, actionCount);
  }

  /** The buffers of one batch in flight: a call of the graph runner. */
  /**
   * The buffers of one batch in flight. Its steps run under two lifecycles: the evaluator's (no step
   * while the evaluator closes) and its own, so that closing the stage, even from another thread in
   * breach of the contract, waits for a step under way and fails later ones, instead of freeing
   * tensors under a running call (which crashes the JVM).
   */
  private final class OnnxStage implements Stage<S> {
    private final GraphRunner stageRunner; // the evaluator's, or the stage's own (sessionPerStage)
    final GraphRunner.Call call;
    private final Lifecycle own = new Lifecycle("a stage of " + OnnxEvaluator.this);
    private int rows; // of the batch encoded
    private boolean encoded; // and not yet run
    private boolean ran; // and not yet decoded

    OnnxStage(GraphRunner stageRunner) {
      this.stageRunner = stageRunner;
      this.call = stageRunner.newCall();
    }

    @Override
    public void encode(EvaluationBatch<S> batch) {
      checkBatch(batch);
      enter(); // makes tensors: not while the evaluator or the stage closes
      try {
        encoded = false;
        ran = false;
        encodeRows(batch);
        rows = batch.size();
        encoded = true;
      } finally {
        exit();
      }
    }

    @Override
    public void run() {
      enter();
      try {
        if (!encoded) {
          throw new IllegalStateException("run() of a stage without encode(batch) before it");
        }
        call.run();
        encoded = false;
        ran = true;
      } finally {
        exit();
      }
    }

    @Override
    public void decode(EvaluationBatch<S> batch) {
      checkBatch(batch);
      enter();
      try {
        if (!ran) {
          throw new IllegalStateException("decode(batch) of a stage without run() before it");
        }
        if (batch.size() != rows) {
          throw new IllegalStateException("decode(batch) was given " + batch.size()
              + " rows, encode(batch) " + rows + ": it must be given the batch encoded");
        }
        ran = false;
        decodeRows(batch);
      } finally {
        exit();
      }
    }

    private void enter() {
      own.enter();
      try {
        lifecycle.enter();
      } catch (RuntimeException e) {
        own.exit();
        throw e;
      }
    }

    private void exit() {
      lifecycle.exit();
      own.exit();
    }

    @Override
    public void close() {
      own.close(() -> {
        if (lifecycle.tryEnter()) { // else the evaluator is closed, and freed this stage
          try {
            call.close();
            if (stageRunner != runner && stageRunners.remove(stageRunner)) {
              stageRunner.close();
            }
          } finally {
            lifecycle.exit();
          }
        }
      });
    }

    void encodeRows(EvaluationBatch<S> batch) {
      int chunks = call.prepare(batch.size());
      int chunk = stageRunner.chunkSize();
      for (int k = 0; k < chunks; k++) {
        encodeChunk(batch, k * chunk, call.rows(k), call.inputs(k)[0]);
        call.seal(k);
      }
    }

    void decodeRows(EvaluationBatch<S> batch) {
      int chunk = stageRunner.chunkSize();
      for (int k = 0, chunks = (batch.size() + chunk - 1) / chunk; k < chunks; k++) {
        float[][] outputs = call.outputs(k);
        decodeChunk(batch, k * chunk, call.rows(k), outputs[0], outputs[1], call.encoded(k));
      }
    }
  }

  private void encodeChunk(EvaluationBatch<S> batch, int start, int count, FloatBuffer buffer) {
    for (int i = 0; i < count; i++) {
      int from = i * observationSize;
      buffer.limit(from + observationSize).position(from);
      S state = batch.state(start + i);
      try {
        encoder.encode(state, buffer);
      } catch (BufferOverflowException e) {
        throw new IllegalStateException(String.format(
            "encoder %s wrote more than %d floats for batch row %d (state %s); its shape() is %s",
            encoder, observationSize, start + i, state, java.util.Arrays.toString(encoder.shape())),
            e);
      } catch (IndexOutOfBoundsException e) {
        throw new IllegalStateException(String.format("encoder %s wrote outside its %d floats for batch row"
            + " %d (state %s) with an absolute put; it must write with relative puts at the buffer's position",
            encoder, observationSize, start + i, state), e);
      }
      if (buffer.limit() != from + observationSize || buffer.position() < from) {
        throw new IllegalStateException(String.format("encoder %s moved the buffer's limit or position back"
            + " (clear, flip, rewind?) for batch row %d (state %s); it must only write %d floats with"
            + " relative puts at the buffer's position", encoder, start + i, state, observationSize));
      }
      if (buffer.position() != from + observationSize) {
        throw new IllegalStateException(String.format(
            "encoder %s wrote %d floats for batch row %d (state %s), expected %d for its shape() %s",
            encoder, buffer.position() - from, start + i, state, observationSize,
            java.util.Arrays.toString(encoder.shape())));
      }
    }
  }

  /**
   * For the message of a bad output: if the observation the encoder wrote for row {@code i} of a chunk
   * is not finite, that is the likely cause, and the message says so.
   */
  private String badObservation(FloatBuffer encoded, int i) {
    for (int j = 0; j < observationSize; j++) {
      float x = encoded.get(i * observationSize + j);
      if (!Float.isFinite(x)) {
        return String.format("; its observation holds %s at index %d, as encoder %s wrote it", x, j, encoder);
      }
    }
    return "";
  }

  private void decodeChunk(EvaluationBatch<S> batch, int start, int count, float[] logits,
      float[] values, FloatBuffer encoded) {
    for (int i = 0; i < count; i++) {
      int row = start + i;
      float v = values[i];
      if (!(v >= -1f && v <= 1f)) { // NaN too
        throw new InvalidEvaluationException(String.format(
            "%s: output '%s' is %s for batch row %d (state %s); values must be finite and in"
                + " [-1, 1]%s", this, valueName, v, row, batch.state(row), badObservation(encoded, i)));
      }
      int offset = i * actionCount;
      for (int a = 0; a < actionCount; a++) {
        float logit = logits[offset + a];
        if (!Float.isFinite(logit)) {
          throw new InvalidEvaluationException(String.format(
              "%s: output '%s' is %s for action %d of batch row %d (state %s); logits must be"
                  + " finite%s", this, policyName, logit, a, row, batch.state(row), badObservation(encoded, i)));
        }
      }
      batch.setPriorLogits(row, logits, offset);
      batch.setValue(row, v);
    }
  }

  /** The model file. */
  public Path model() {
    return model;
  }

  /** The device the model runs on: the CPU if a CUDA device fell back to it. */
  public Device device() {
    return device;
  }

  /** The model's fixed batch size, or empty if its batch axis is dynamic. */
  public OptionalInt fixedBatchSize() {
    return fixedBatch > 0 ? OptionalInt.of(fixedBatch) : OptionalInt.empty();
  }

  /** Size A of the action space. */
  public int actionCount() {
    return actionCount;
  }

  /**
   * Refuses new calls, waits for the calls and stage runs in flight, then frees the session and the
   * tensors of every call and stage. Idempotent. Must not be called from inside {@link #evaluate} (from
   * an encoder).
   */
  @Override
  public void close() {
    lifecycle.close(() -> {
      try {
        runner.close();
      } finally {
        for (GraphRunner own : stageRunners) {
          own.close();
        }
        stageRunners.clear();
      }
    });
  }

  @Override
  public String toString() {
    return "OnnxEvaluator for model " + model;
  }

  static long[] toLongs(int[] shape) {
    long[] longs = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      longs[i] = shape[i];
    }
    return longs;
  }

  /**
   * The floats of one row of {@code shape}, which {@code what} declared.
   *
   * @throws IllegalArgumentException if they are more than one tensor row (an int) can hold
   */
  static int rowSize(String what, long[] shape) {
    long p = 1;
    for (long d : shape) {
      p = d != 0 && p > Integer.MAX_VALUE / d ? Long.MAX_VALUE : p * d;
    }
    checkArgument(p <= Integer.MAX_VALUE, "%s %s has more floats per row than a tensor row can hold (%s)", what,
        Arrays.toString(shape), Integer.MAX_VALUE);
    return (int) p;
  }

  static long product(long[] shape) {
    long p = 1;
    for (long d : shape) {
      p = Math.multiplyExact(p, d);
    }
    return p;
  }

  /**
   * Settings of an {@link OnnxEvaluator}; every setting is checked when set, and the model when
   * {@link #build()} loads it.
   *
   * @param <S> the state type
   */
  public static final class Builder<S> {
    private final Path model;
    private final ObservationEncoder<S> encoder;
    private final int actionCount;
    private final int[] shape;
    private String inputName = DEFAULT_INPUT;
    private String policyName = DEFAULT_POLICY;
    private String valueName = DEFAULT_VALUE;
    private Device device = Device.cpu();
    private int intraOpThreads = 1;
    private int interOpThreads = 1;
    private int maxBatch = 256;
    private boolean allowSpinning;
    private boolean sessionPerStage;

    private Builder(Path model, ObservationEncoder<S> encoder, int actionCount) {
      this.model = checkNotNull(model, "model");
      this.encoder = checkNotNull(encoder, "encoder");
      checkArgument(actionCount > 0, "actionCount must be positive, was %s", actionCount);
      this.actionCount = actionCount;
      int[] s = checkNotNull(encoder.shape(), "encoder.shape()").clone();
      checkArgument(s.length > 0, "encoder.shape() must have at least one axis");
      for (int d : s) {
        checkArgument(d > 0, "encoder.shape() must be positive, was %s",
            java.util.Arrays.toString(s));
      }
      this.shape = s;
    }

    /** Name of the observation input; default {@value OnnxEvaluator#DEFAULT_INPUT}. */
    public Builder<S> inputName(String name) {
      this.inputName = checkName(name, "inputName");
      return this;
    }

    /** Name of the policy logits output; default {@value OnnxEvaluator#DEFAULT_POLICY}. */
    public Builder<S> policyOutput(String name) {
      this.policyName = checkName(name, "policyOutput");
      return this;
    }

    /** Name of the value output; default {@value OnnxEvaluator#DEFAULT_VALUE}. */
    public Builder<S> valueOutput(String name) {
      this.valueName = checkName(name, "valueOutput");
      return this;
    }

    /** The device; default {@link Device#cpu()}. */
    public Builder<S> device(Device device) {
      this.device = checkNotNull(device, "device");
      return this;
    }

    /** Threads ONNX Runtime uses inside one operator; default 1 (at least 1). */
    public Builder<S> intraOpThreads(int threads) {
      checkArgument(threads >= 1 && threads <= OnnxSessions.MAX_THREADS,
          "intraOpThreads must be in [1, %s], was %s", OnnxSessions.MAX_THREADS, threads);
      this.intraOpThreads = threads;
      return this;
    }

    /** Threads ONNX Runtime uses to run independent operators in parallel; default 1. */
    public Builder<S> interOpThreads(int threads) {
      checkArgument(threads >= 1 && threads <= OnnxSessions.MAX_THREADS,
          "interOpThreads must be in [1, %s], was %s", OnnxSessions.MAX_THREADS, threads);
      this.interOpThreads = threads;
      return this;
    }

    /**
     * Largest batch fed to a model with a dynamic batch axis in one run; larger batches are split.
     * Default 256. Ignored by models with a fixed batch size. The input and output buffers of each
     * stage (and of each concurrent {@code evaluate} call) grow with the batches it is given, up to this
     * many rows.
     */
    public Builder<S> maxBatch(int maxBatch) {
      checkArgument(maxBatch >= 1, "maxBatch must be at least 1, was %s", maxBatch);
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * Whether ONNX Runtime's idle worker threads spin; default false, which spares the cores of a
     * shared machine. Only matters with more than one thread.
     */
    public Builder<S> allowSpinning(boolean allow) {
      this.allowSpinning = allow;
      return this;
    }

    /**
     * Whether each {@link #newStage() stage} runs the model in an ONNX Runtime session of its own;
     * default false (every stage shares the evaluator's session). A stage is what a thread of a
     * {@link dev.ponder.mcts.SearchPool} runs its batches through, so its own session keeps the
     * network's working memory (intermediate tensors) with the thread that uses it instead of moving
     * between cores: measured worth about 0.04 us per evaluation on a machine whose two cores sat on
     * different dies, nothing when they shared a cache. It costs one more copy of the weights (in
     * memory, or on the GPU) per stage, and the time to open each session.
     */
    public Builder<S> sessionPerStage(boolean own) {
      this.sessionPerStage = own;
      return this;
    }

    /**
     * Loads the model and checks it against these settings.
     *
     * @throws ModelLoadException if the file is missing or not an ONNX model
     * @throws ModelContractException if the model does not fit (names, types, shapes, a fixed batch
     *     too large for its buffers)
     * @throws ExecutionProviderException if CUDA was asked, cannot load, and no CPU fallback was
     *     allowed
     * @throws IllegalArgumentException if {@link #maxBatch} rows of a tensor do not fit one buffer
     *     (2 GiB)
     */
    public OnnxEvaluator<S> build() {
      checkArgument(!policyName.equals(valueName),
          "policyOutput and valueOutput must differ, both are '%s'", policyName);
      return new OnnxEvaluator<>(this);
    }

    private static String checkName(String name, String setting) {
      checkNotNull(name, setting);
      checkArgument(!name.isEmpty(), "%s must not be empty", setting);
      return name;
    }
  }
}
