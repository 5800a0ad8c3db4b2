package dev.ponder.mcts.onnx;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.TensorInfo;
import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.muzero.Inference;
import dev.ponder.mcts.muzero.LearnedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A MuZero {@link LearnedModel} made of three ONNX graphs run by ONNX Runtime. Default tensor names:
 * <ul>
 *   <li>representation h: input {@code observation [N, ...shape]}, output {@code latent [N, ...L]};
 *   <li>dynamics g: inputs {@code latent [N, ...L]} and {@code action [N, A]}, the action
 *       <b>one-hot</b> as floats, outputs {@code next_latent [N, ...L]} and {@code reward [N]} or
 *       {@code [N, 1]};
 *   <li>prediction f: input {@code latent [N, ...L]}, outputs {@code policy [N, A]} and {@code value
 *       [N]} or {@code [N, 1]}.
 * </ul>
 * The latent shape L is read from the representation's output (it must be fixed) and must be the same
 * in all three graphs; the observation shape and the action count are the caller's. All of it is
 * checked at load ({@link ModelContractException}). Every output is checked on every call: a NaN or
 * infinite number throws an {@link InvalidEvaluationException} naming the graph, output and batch row.
 * Values and rewards are not bounded (MuZero scales them as it likes).
 *
 * <p>One-hot actions (rather than an int64 index) keep the dynamics graph a plain float network, as
 * most MuZero implementations encode actions before the dynamics anyway. Thread-safe; {@link #close}
 * is idempotent and waits for calls in flight, like {@link OnnxEvaluator}.
 */
public final class OnnxLearnedModel implements LearnedModel {

  private final Path representation;
  private final int actionCount;
  private final int observationSize;
  private final int latentSize;
  private final Device device;
  private final GraphRunner h;
  private final GraphRunner g;
  private final GraphRunner f;
  private final Lifecycle lifecycle;

  private OnnxLearnedModel(Builder b) {
    this.representation = b.representation;
    this.actionCount = b.actionCount;
    long[] obsShape = OnnxEvaluator.toLongs(b.observationShape);
    this.observationSize = OnnxEvaluator.rowSize("the observation shape", obsShape);
    OrtEnvironment env = OnnxSessions.environment();
    OnnxSessions.Settings settings =
        new OnnxSessions.Settings(b.device, b.intraOpThreads, b.interOpThreads, false);
    List<GraphRunner> opened = new ArrayList<>();
    List<OnnxSessions.Opened> sessions = new ArrayList<>();
    try {
      // representation: fixes the latent shape
      OnnxSessions.Opened hs = OnnxSessions.open(env, b.representation, settings);
      sessions.add(hs);
      Path hp = b.representation;
      Map<String, NodeInfo> hin = OnnxSessions.inputs(hs.session(), hp);
      Map<String, NodeInfo> hout = OnnxSessions.outputs(hs.session(), hp);
      TensorInfo obs = OnnxSessions.floatTensor(hp, "input", b.observationName, hin, "names(..)");
      OnnxSessions.checkNoOtherInputs(hp, hin, Set.of(b.observationName));
      TensorInfo latent = OnnxSessions.floatTensor(hp, "output", b.latentName, hout, "names(..)");
      long[] latentDims = latent.getShape();
      long[] latentShape = Arrays.copyOfRange(latentDims, 1, Math.max(1, latentDims.length));
      if (latentDims.length < 2 || Arrays.stream(latentShape).anyMatch(d -> d <= 0)) {
        String actual = OnnxSessions.shape(latentDims);
        throw new ModelContractException(hp, b.latentName, "[N, L...] with fixed L", actual,
            String.format("model %s: output '%s' has shape %s; the latent state needs a batch axis"
                + " and fixed sizes after it", hp, b.latentName, actual));
      }
      this.latentSize = Math.toIntExact(OnnxEvaluator.product(latentShape));
      Map<String, Long> hb = new LinkedHashMap<>();
      hb.put(b.observationName, OnnxSessions.checkShape(hp, "input", b.observationName, obs,
          obsShape, "the observation shape"));
      hb.put(b.latentName, latentDims[0]);
      h = new GraphRunner(env, hs.session(), hp,
          List.of(new GraphRunner.Port(b.observationName, obsShape)),
          List.of(new GraphRunner.Port(b.latentName, latentShape)),
          OnnxSessions.batchSize(hp, hb), b.maxBatch);
      opened.add(h);

      // dynamics
      Path gp = b.dynamics;
      OnnxSessions.Opened gs = OnnxSessions.open(env, gp, settings);
      sessions.add(gs);
      Map<String, NodeInfo> gin = OnnxSessions.inputs(gs.session(), gp);
      Map<String, NodeInfo> gout = OnnxSessions.outputs(gs.session(), gp);
      String why = "the latent shape of " + hp.getFileName();
      Map<String, Long> gb = new LinkedHashMap<>();
      gb.put(b.dynamicsLatentName,
          OnnxSessions.checkFloatTensor(gp, "input", b.dynamicsLatentName, gin, "names(..)",
              latentShape, why));
      gb.put(b.actionName,
          OnnxSessions.checkFloatTensor(gp, "input", b.actionName, gin, "names(..)",
              new long[] {actionCount}, "one-hot action over " + actionCount + " actions"));
      OnnxSessions.checkNoOtherInputs(gp, gin, Set.of(b.dynamicsLatentName, b.actionName));
      gb.put(b.nextLatentName,
          OnnxSessions.checkFloatTensor(gp, "output", b.nextLatentName, gout, "names(..)",
              latentShape, why));
      TensorInfo reward = OnnxSessions.floatTensor(gp, "output", b.rewardName, gout, "names(..)");
      long[] rewardRow = reward.getShape().length == 1 ? new long[0] : new long[] {1};
      gb.put(b.rewardName, OnnxSessions.checkShape(gp, "output", b.rewardName, reward, rewardRow,
          "one reward per state: [N] or [N, 1]"));
      g = new GraphRunner(env, gs.session(), gp,
          List.of(new GraphRunner.Port(b.dynamicsLatentName, latentShape),
              new GraphRunner.Port(b.actionName, new long[] {actionCount})),
          List.of(new GraphRunner.Port(b.nextLatentName, latentShape),
              new GraphRunner.Port(b.rewardName, rewardRow)),
          OnnxSessions.batchSize(gp, gb), b.maxBatch);
      opened.add(g);

      // prediction
      Path fp = b.prediction;
      OnnxSessions.Opened fs = OnnxSessions.open(env, fp, settings);
      sessions.add(fs);
      Map<String, NodeInfo> fin = OnnxSessions.inputs(fs.session(), fp);
      Map<String, NodeInfo> fout = OnnxSessions.outputs(fs.session(), fp);
      Map<String, Long> fb = new LinkedHashMap<>();
      fb.put(b.predictionLatentName,
          OnnxSessions.checkFloatTensor(fp, "input", b.predictionLatentName, fin, "names(..)",
              latentShape, why));
      OnnxSessions.checkNoOtherInputs(fp, fin, Set.of(b.predictionLatentName));
      fb.put(b.policyName,
          OnnxSessions.checkFloatTensor(fp, "output", b.policyName, fout, "names(..)",
              new long[] {actionCount}, "policy logits over " + actionCount + " actions"));
      TensorInfo value = OnnxSessions.floatTensor(fp, "output", b.valueName, fout, "names(..)");
      long[] valueRow = value.getShape().length == 1 ? new long[0] : new long[] {1};
      fb.put(b.valueName, OnnxSessions.checkShape(fp, "output", b.valueName, value, valueRow,
          "one value per state: [N] or [N, 1]"));
      f = new GraphRunner(env, fs.session(), fp,
          List.of(new GraphRunner.Port(b.predictionLatentName, latentShape)),
          List.of(new GraphRunner.Port(b.policyName, new long[] {actionCount}),
              new GraphRunner.Port(b.valueName, valueRow)),
          OnnxSessions.batchSize(fp, fb), b.maxBatch);
      opened.add(f);
      this.device = hs.device();
    } catch (RuntimeException e) {
      for (int i = opened.size(); i < sessions.size(); i++) {
        try {
          sessions.get(i).session().close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      for (GraphRunner runner : opened) {
        try {
          runner.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    this.lifecycle = new Lifecycle(toString());
  }

  /**
   * A builder for the three graphs in {@code directory}, named as {@code MuZeroMlps} writes them:
   * {@code representation.onnx}, {@code dynamics.onnx} and {@code prediction.onnx}.
   */
  public static Builder builder(Path directory, int[] observationShape, int actionCount) {
    checkNotNull(directory, "directory");
    return builder(directory.resolve("representation.onnx"), directory.resolve("dynamics.onnx"),
        directory.resolve("prediction.onnx"), observationShape, actionCount);
  }

  /**
   * A builder for three graph files.
   *
   * @param observationShape the shape of one observation (without the batch axis)
   * @param actionCount size A of the action space
   */
  public static Builder builder(Path representation, Path dynamics, Path prediction,
      int[] observationShape, int actionCount) {
    return new Builder(representation, dynamics, prediction, observationShape, actionCount);
  }

  @Override
  public int actionCount() {
    return actionCount;
  }

  @Override
  public int observationSize() {
    return observationSize;
  }

  @Override
  public int latentSize() {
    return latentSize;
  }

  /** The device the graphs run on: the CPU if a CUDA device fell back to it. */
  public Device device() {
    return device;
  }

  @Override
  public List<Inference> initial(List<float[]> observations) {
    checkNotNull(observations, "observations");
    for (int i = 0; i < observations.size(); i++) {
      float[] o = checkNotNull(observations.get(i), "observation %s", i);
      checkArgument(o.length == observationSize, "observation %s has %s floats, expected %s", i,
          o.length, observationSize);
      checkFinite(o, "observation", i);
    }
    int n = observations.size();
    float[][] latents = new float[n][];
    lifecycle.enter(); // a closed model refuses even an empty list
    try {
      if (n == 0) {
        return List.of();
      }
      h.run(n, (start, count, in) -> {
        for (int i = 0; i < count; i++) {
          in[0].put(observations.get(start + i));
        }
      }, (start, count, out) -> {
        for (int i = 0; i < count; i++) {
          latents[start + i] = copyFinite(out[0], i, latentSize, h, "latent", start + i);
        }
      });
      return predict(latents, new double[n]);
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public List<Inference> recurrent(List<float[]> latents, int[] actions) {
    checkNotNull(latents, "latents");
    checkNotNull(actions, "actions");
    checkArgument(actions.length == latents.size(), "%s actions for %s latent states",
        actions.length, latents.size());
    for (int i = 0; i < latents.size(); i++) {
      float[] s = checkNotNull(latents.get(i), "latent %s", i);
      checkArgument(s.length == latentSize, "latent %s has %s floats, expected %s", i, s.length,
          latentSize);
      checkFinite(s, "latent", i);
      checkElementIndex(actions[i], actionCount, "action of row " + i);
    }
    int n = latents.size();
    float[][] next = new float[n][];
    double[] rewards = new double[n];
    lifecycle.enter(); // a closed model refuses even an empty list
    try {
      if (n == 0) {
        return List.of();
      }
      g.run(n, (start, count, in) -> {
        for (int i = 0; i < count; i++) {
          in[0].put(latents.get(start + i));
          int base = in[1].position();
          for (int a = 0; a < actionCount; a++) {
            in[1].put(base + a, 0f);
          }
          in[1].put(base + actions[start + i], 1f);
          in[1].position(base + actionCount);
        }
      }, (start, count, out) -> {
        for (int i = 0; i < count; i++) {
          next[start + i] = copyFinite(out[0], i, latentSize, g, "next latent", start + i);
          rewards[start + i] = copyFinite(out[1], i, 1, g, "reward", start + i)[0];
        }
      });
      return predict(next, rewards);
    } finally {
      lifecycle.exit();
    }
  }

  private List<Inference> predict(float[][] latents, double[] rewards) {
    int n = latents.length;
    Inference[] results = new Inference[n];
    f.run(n, (start, count, in) -> {
      for (int i = 0; i < count; i++) {
        in[0].put(latents[start + i]);
      }
    }, (start, count, out) -> {
      for (int i = 0; i < count; i++) {
        int row = start + i;
        float[] logits = copyFinite(out[0], i, actionCount, f, "policy", row);
        double value = copyFinite(out[1], i, 1, f, "value", row)[0];
        results[row] = new Inference(latents[row], rewards[row], logits, value);
      }
    });
    return List.of(results);
  }

  private static void checkFinite(float[] input, String what, int row) {
    for (int k = 0; k < input.length; k++) {
      checkArgument(Float.isFinite(input[k]), "%s %s holds %s at index %s; inputs must be finite", what, row,
          input[k], k);
    }
  }

  private static float[] copyFinite(float[] out, int i, int size, GraphRunner graph, String what,
      int row) {
    float[] copy = Arrays.copyOfRange(out, i * size, (i + 1) * size);
    for (int k = 0; k < size; k++) {
      if (!Float.isFinite(copy[k])) {
        throw new InvalidEvaluationException(String.format(
            "model %s: %s output is %s at index %d for batch row %d; outputs must be finite",
            graph.model(), what, copy[k], k, row));
      }
    }
    return copy;
  }

  /** Refuses new calls, waits for calls in flight, then frees the three sessions. Idempotent. */
  @Override
  public void close() {
    lifecycle.close(() -> {
      h.close();
      g.close();
      f.close();
    });
  }

  @Override
  public String toString() {
    return "OnnxLearnedModel for model " + representation.toAbsolutePath().getParent();
  }

  /** Settings of an {@link OnnxLearnedModel}. */
  public static final class Builder {
    private final Path representation;
    private final Path dynamics;
    private final Path prediction;
    private final int[] observationShape;
    private final int actionCount;
    private String observationName = "observation";
    private String latentName = "latent";
    private String dynamicsLatentName = "latent";
    private String actionName = "action";
    private String nextLatentName = "next_latent";
    private String rewardName = "reward";
    private String predictionLatentName = "latent";
    private String policyName = "policy";
    private String valueName = "value";
    private Device device = Device.cpu();
    private int intraOpThreads = 1;
    private int interOpThreads = 1;
    private int maxBatch = 256;

    private Builder(Path representation, Path dynamics, Path prediction, int[] observationShape,
        int actionCount) {
      this.representation = checkNotNull(representation, "representation");
      this.dynamics = checkNotNull(dynamics, "dynamics");
      this.prediction = checkNotNull(prediction, "prediction");
      checkNotNull(observationShape, "observationShape");
      checkArgument(observationShape.length > 0, "observationShape must have at least one axis");
      for (int d : observationShape) {
        checkArgument(d > 0, "observationShape must be positive, was %s",
            Arrays.toString(observationShape));
      }
      this.observationShape = observationShape.clone();
      checkArgument(actionCount > 0, "actionCount must be positive, was %s", actionCount);
      this.actionCount = actionCount;
    }

    /** Names of the representation's input and output; default observation, latent. */
    public Builder representationNames(String observation, String latent) {
      this.observationName = checkNotNull(observation, "observation name must not be null");
      this.latentName = checkNotNull(latent, "latent name must not be null");
      return this;
    }

    /** Names of the dynamics' inputs and outputs; default latent, action, next_latent, reward. */
    public Builder dynamicsNames(String latent, String action, String nextLatent, String reward) {
      this.dynamicsLatentName = checkNotNull(latent, "latent name must not be null");
      this.actionName = checkNotNull(action, "action name must not be null");
      this.nextLatentName = checkNotNull(nextLatent, "next latent name must not be null");
      this.rewardName = checkNotNull(reward, "reward name must not be null");
      checkArgument(!latent.equals(action), "latent and action inputs must differ");
      checkArgument(!nextLatent.equals(reward), "next latent and reward outputs must differ");
      return this;
    }

    /** Names of the prediction's input and outputs; default latent, policy, value. */
    public Builder predictionNames(String latent, String policy, String value) {
      this.predictionLatentName = checkNotNull(latent, "latent name must not be null");
      this.policyName = checkNotNull(policy, "policy name must not be null");
      this.valueName = checkNotNull(value, "value name must not be null");
      checkArgument(!policy.equals(value), "policy and value outputs must differ");
      return this;
    }

    /** The device; default {@link Device#cpu()}. */
    public Builder device(Device device) {
      this.device = checkNotNull(device, "device");
      return this;
    }

    /** Intra-op threads per graph; default 1. */
    public Builder intraOpThreads(int threads) {
      checkArgument(threads >= 1 && threads <= OnnxSessions.MAX_THREADS,
          "intraOpThreads must be in [1, %s], was %s", OnnxSessions.MAX_THREADS, threads);
      this.intraOpThreads = threads;
      return this;
    }

    /** Inter-op threads per graph; default 1. */
    public Builder interOpThreads(int threads) {
      checkArgument(threads >= 1 && threads <= OnnxSessions.MAX_THREADS,
          "interOpThreads must be in [1, %s], was %s", OnnxSessions.MAX_THREADS, threads);
      this.interOpThreads = threads;
      return this;
    }

    /** Largest batch per run of a graph with a dynamic batch axis; default 256. */
    public Builder maxBatch(int maxBatch) {
      checkArgument(maxBatch >= 1, "maxBatch must be at least 1, was %s", maxBatch);
      this.maxBatch = maxBatch;
      return this;
    }

    /** Loads and checks the three graphs. Throws as {@link OnnxEvaluator.Builder#build()}. */
    public OnnxLearnedModel build() {
      return new OnnxLearnedModel(this);
    }
  }
}
