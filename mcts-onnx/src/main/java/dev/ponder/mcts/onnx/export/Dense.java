package dev.ponder.mcts.onnx.export;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;

/**
 * A fully connected layer {@code y = W x + b}: {@code weights[out][in]} (the PyTorch
 * {@code nn.Linear.weight} layout) and {@code bias[out]}. Written as an ONNX {@code Gemm} node with
 * {@code transB = 1}. The arrays are copied in and never changed.
 *
 * @param weights the weight matrix, {@code outputs} rows of {@code inputs} columns
 * @param bias one bias per output
 */
public record Dense(float[][] weights, float[] bias) {

  /** Checks the shapes and copies the arrays. */
  public Dense {
    checkNotNull(weights, "weights must not be null");
    checkNotNull(bias, "bias must not be null");
    for (int i = 0; i < weights.length; i++) {
      checkNotNull(weights[i], "weights row %s is null", i);
    }
    checkArgument(weights.length > 0 && weights[0].length > 0, "weights must not be empty");
    checkArgument(bias.length == weights.length, "bias has %s entries for %s outputs", bias.length,
        weights.length);
    float[][] copy = new float[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      checkArgument(weights[i].length == weights[0].length, "weights row %s has %s columns, not %s",
          i, weights[i].length, weights[0].length);
      copy[i] = weights[i].clone();
    }
    weights = copy;
    bias = bias.clone();
  }

  /**
   * A layer with weights drawn uniformly from {@code +-sqrt(6 / (inputs + outputs))} (Glorot) and
   * biases from {@code +-0.1}, from a seeded generator.
   */
  public static Dense random(int inputs, int outputs, SplittableRandom random) {
    checkArgument(inputs > 0 && outputs > 0, "inputs and outputs must be positive, were %s, %s", inputs,
        outputs);
    checkNotNull(random, "random must not be null");
    double limit = Math.sqrt(6.0 / (inputs + outputs));
    float[][] w = new float[outputs][inputs];
    float[] b = new float[outputs];
    for (int o = 0; o < outputs; o++) {
      for (int i = 0; i < inputs; i++) {
        w[o][i] = (float) random.nextDouble(-limit, limit);
      }
      b[o] = (float) random.nextDouble(-0.1, 0.1);
    }
    return new Dense(w, b);
  }

  /** Number of inputs. */
  public int inputs() {
    return weights[0].length;
  }

  /** Number of outputs. */
  public int outputs() {
    return weights.length;
  }

  /** The weights, a copy. */
  @Override
  public float[][] weights() {
    float[][] copy = new float[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      copy[i] = weights[i].clone();
    }
    return copy;
  }

  /** The bias, a copy. */
  @Override
  public float[] bias() {
    return bias.clone();
  }

  /** Adds initializers and a Gemm node computing {@code output = input W^T + b}. */
  void write(OnnxModelBuilder model, String prefix, String input, String output) {
    float[] flat = new float[outputs() * inputs()];
    for (int o = 0; o < outputs(); o++) {
      System.arraycopy(weights[o], 0, flat, o * inputs(), inputs());
    }
    model.initializer(prefix + ".weight", flat, outputs(), inputs());
    model.initializer(prefix + ".bias", bias, outputs());
    model.node("Gemm", new String[] {input, prefix + ".weight", prefix + ".bias"},
        new String[] {output}, "transB", 1L);
  }

  /** Adds the layers of an MLP (ReLU between layers, none after the last); returns the output. */
  static String writeMlp(OnnxModelBuilder model, String prefix, java.util.List<Dense> layers,
      String input, boolean reluAfterLast) {
    String x = input;
    for (int i = 0; i < layers.size(); i++) {
      String y = prefix + "." + i;
      layers.get(i).write(model, prefix + "." + i, x, y + ".out");
      x = y + ".out";
      if (i < layers.size() - 1 || reluAfterLast) {
        model.node("Relu", new String[] {x}, new String[] {y + ".relu"});
        x = y + ".relu";
      }
    }
    return x;
  }

  /** Checks that consecutive layers fit. */
  /** A copy of {@code layers}, a list named {@code what}, after checking that it and its layers are not null. */
  static java.util.List<Dense> copyOfLayers(java.util.List<Dense> layers, String what) {
    checkNotNull(layers, "%s must not be null", what);
    for (int i = 0; i < layers.size(); i++) {
      checkNotNull(layers.get(i), "%s layer %s is null", what, i);
    }
    return java.util.List.copyOf(layers);
  }

  static void checkChain(java.util.List<Dense> layers, String what) {
    checkArgument(!layers.isEmpty(), "%s needs at least one layer", what);
    for (int i = 1; i < layers.size(); i++) {
      checkArgument(layers.get(i).inputs() == layers.get(i - 1).outputs(),
          "%s layer %s takes %s inputs but layer %s gives %s", what, i, layers.get(i).inputs(),
          i - 1, layers.get(i - 1).outputs());
    }
  }
}
