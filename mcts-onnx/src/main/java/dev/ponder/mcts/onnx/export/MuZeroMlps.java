package dev.ponder.mcts.onnx.export;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The three networks of a MuZero model as multilayer perceptrons, written as the three ONNX graphs
 * {@code OnnxLearnedModel} loads (file names {@value #REPRESENTATION}, {@value #DYNAMICS},
 * {@value #PREDICTION}; tensor names are its defaults):
 * <ul>
 *   <li>representation h: {@code observation [N, O] -> latent [N, L]} (ReLU between layers, none
 *       after the last);
 *   <li>dynamics g: {@code latent [N, L], action [N, A]} (the action one-hot) {@code ->
 *       next_latent [N, L], reward [N, 1]}: the two inputs concatenated, a trunk with ReLU after each
 *       layer, then a linear head for each output;
 *   <li>prediction f: {@code latent [N, L] -> policy [N, A], value [N, 1]}, a {@link PolicyValueMlp}.
 * </ul>
 *
 * @param representation h's layers, from O to L floats
 * @param dynamicsTrunk g's hidden layers from L + A floats, possibly none
 * @param nextLatent g's latent head, to L floats
 * @param reward g's reward head, to one float
 * @param prediction f
 */
public record MuZeroMlps(List<Dense> representation, List<Dense> dynamicsTrunk, Dense nextLatent,
    Dense reward, PolicyValueMlp prediction) {

  /** File name of the representation graph. */
  public static final String REPRESENTATION = "representation.onnx";
  /** File name of the dynamics graph. */
  public static final String DYNAMICS = "dynamics.onnx";
  /** File name of the prediction graph. */
  public static final String PREDICTION = "prediction.onnx";

  /** Checks that the layers fit together. */
  public MuZeroMlps {
    representation = Dense.copyOfLayers(representation, "representation");
    dynamicsTrunk = Dense.copyOfLayers(dynamicsTrunk, "dynamicsTrunk");
    checkNotNull(nextLatent, "nextLatent");
    checkNotNull(reward, "reward");
    checkNotNull(prediction, "prediction");
    Dense.checkChain(representation, "representation");
    int latent = representation.get(representation.size() - 1).outputs();
    int actions = prediction.actionCount();
    checkArgument(prediction.inputs() == latent, "prediction takes %s floats, latent has %s",
        prediction.inputs(), latent);
    int dynamicsIn = latent + actions;
    int features = dynamicsIn;
    if (!dynamicsTrunk.isEmpty()) {
      Dense.checkChain(dynamicsTrunk, "dynamics");
      checkArgument(dynamicsTrunk.get(0).inputs() == dynamicsIn,
          "dynamics takes %s floats, latent + one-hot action has %s", dynamicsTrunk.get(0).inputs(),
          dynamicsIn);
      features = dynamicsTrunk.get(dynamicsTrunk.size() - 1).outputs();
    }
    checkArgument(nextLatent.inputs() == features && nextLatent.outputs() == latent,
        "next latent head must map %s to %s floats", features, latent);
    checkArgument(reward.inputs() == features && reward.outputs() == 1,
        "reward head must map %s floats to 1", features);
  }

  /** Networks with seeded random weights and one hidden layer of {@code hidden} units in each. */
  public static MuZeroMlps random(int observationSize, int latentSize, int actionCount, int hidden,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Dense> h = List.of(Dense.random(observationSize, hidden, random),
        Dense.random(hidden, latentSize, random));
    List<Dense> g = new ArrayList<>();
    g.add(Dense.random(latentSize + actionCount, hidden, random));
    Dense next = Dense.random(hidden, latentSize, random);
    Dense r = Dense.random(hidden, 1, random);
    PolicyValueMlp f = PolicyValueMlp.random(latentSize, new int[] {hidden}, actionCount,
        random.nextLong());
    return new MuZeroMlps(h, g, next, r, f);
  }

  /** Size O of an observation. */
  public int observationSize() {
    return representation.get(0).inputs();
  }

  /** Size L of a latent state. */
  public int latentSize() {
    return representation.get(representation.size() - 1).outputs();
  }

  /** Size A of the action space. */
  public int actionCount() {
    return prediction.actionCount();
  }

  /** The representation graph. */
  public OnnxModelBuilder representationGraph() {
    OnnxModelBuilder model = new OnnxModelBuilder("representation");
    model.input("observation", OnnxModelBuilder.ElementType.FLOAT, "N", observationSize());
    String out = Dense.writeMlp(model, "h", representation, "observation", false);
    model.node("Identity", new String[] {out}, new String[] {"latent"});
    model.output("latent", OnnxModelBuilder.ElementType.FLOAT, "N", latentSize());
    return model;
  }

  /** The dynamics graph. */
  public OnnxModelBuilder dynamicsGraph() {
    OnnxModelBuilder model = new OnnxModelBuilder("dynamics");
    model.input("latent", OnnxModelBuilder.ElementType.FLOAT, "N", latentSize());
    model.input("action", OnnxModelBuilder.ElementType.FLOAT, "N", actionCount());
    model.node("Concat", new String[] {"latent", "action"}, new String[] {"g.in"}, "axis", 1L);
    String x = "g.in";
    if (!dynamicsTrunk.isEmpty()) {
      x = Dense.writeMlp(model, "g", dynamicsTrunk, x, true);
    }
    nextLatent.write(model, "g.next_latent", x, "next_latent");
    reward.write(model, "g.reward", x, "reward");
    model.output("next_latent", OnnxModelBuilder.ElementType.FLOAT, "N", latentSize());
    model.output("reward", OnnxModelBuilder.ElementType.FLOAT, "N", 1);
    return model;
  }

  /** The prediction graph. */
  public OnnxModelBuilder predictionGraph() {
    return prediction.export(latentSize()).inputName("latent").graphName("prediction").builder();
  }

  /** Writes the three graphs into {@code directory} (created if needed); returns it. */
  public Path write(Path directory) {
    checkNotNull(directory, "directory must not be null");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
    representationGraph().write(directory.resolve(REPRESENTATION));
    dynamicsGraph().write(directory.resolve(DYNAMICS));
    predictionGraph().write(directory.resolve(PREDICTION));
    return directory;
  }
}
