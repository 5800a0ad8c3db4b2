package dev.ponder.mcts.onnx.export;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.ponder.mcts.onnx.proto.Onnx.ModelProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A policy/value multilayer perceptron: a trunk of dense layers with ReLU after each, then a policy
 * head (linear: logits over A actions) and a value head (linear then tanh: one value in [-1, 1]).
 * {@link #export} writes it as an ONNX model that {@code OnnxEvaluator} loads with its default names:
 * input {@code observation [N, ...shape]} (flattened first when the shape has several axes), outputs
 * {@code policy [N, A]} and {@code value [N, 1]}.
 *
 * @param trunk hidden layers, possibly none (then the heads read the observation)
 * @param policyHead observation features to A logits
 * @param valueHead observation features to one value
 */
public record PolicyValueMlp(List<Dense> trunk, Dense policyHead, Dense valueHead) {

  /** Checks that the layers fit together. */
  public PolicyValueMlp {
    trunk = Dense.copyOfLayers(trunk, "trunk");
    checkNotNull(policyHead, "policyHead");
    checkNotNull(valueHead, "valueHead");
    if (!trunk.isEmpty()) {
      Dense.checkChain(trunk, "trunk");
    }
    int features = trunk.isEmpty() ? policyHead.inputs() : trunk.get(trunk.size() - 1).outputs();
    checkArgument(policyHead.inputs() == features, "policy head takes %s inputs, trunk gives %s",
        policyHead.inputs(), features);
    checkArgument(valueHead.inputs() == features, "value head takes %s inputs, trunk gives %s",
        valueHead.inputs(), features);
    checkArgument(valueHead.outputs() == 1, "value head must have one output, has %s",
        valueHead.outputs());
  }

  /** A network with seeded random weights: {@code inputs -> hidden... -> (actions, 1)}. */
  public static PolicyValueMlp random(int inputs, int[] hidden, int actions, long seed) {
    checkNotNull(hidden, "hidden must not be null (an empty array for no hidden layer)");
    SplittableRandom random = new SplittableRandom(seed);
    List<Dense> trunk = new ArrayList<>();
    int width = inputs;
    for (int h : hidden) {
      trunk.add(Dense.random(width, h, random));
      width = h;
    }
    return new PolicyValueMlp(trunk, Dense.random(width, actions, random),
        Dense.random(width, 1, random));
  }

  /** Number of floats in one observation. */
  public int inputs() {
    return trunk.isEmpty() ? policyHead.inputs() : trunk.get(0).inputs();
  }

  /** Size A of the action space. */
  public int actionCount() {
    return policyHead.outputs();
  }

  /**
   * Settings of the ONNX model written for an observation of shape {@code observationShape}, whose
   * product must be {@link #inputs()}.
   */
  public Export export(int... observationShape) {
    return new Export(this, observationShape);
  }

  /** The names and shapes of an exported {@link PolicyValueMlp}; defaults fit {@code OnnxEvaluator}. */
  public static final class Export {
    private final PolicyValueMlp net;
    private final int[] shape;
    private String inputName = "observation";
    private String policyName = "policy";
    private String valueName = "value";
    private Object batch = "N";
    private boolean scalarValue;
    private boolean tanhValue = true;
    private String graphName = "policy_value_mlp";

    private Export(PolicyValueMlp net, int[] shape) {
      this.net = net;
      checkArgument(shape.length > 0, "observation shape must have at least one axis");
      long size = 1;
      for (int d : shape) {
        checkArgument(d > 0, "observation shape must be positive, was %s",
            java.util.Arrays.toString(shape));
        size *= d;
      }
      checkArgument(size == net.inputs(), "observation shape %s has %s floats, the network takes %s",
          java.util.Arrays.toString(shape), size, net.inputs());
      this.shape = shape.clone();
    }

    /** Name of the input; default {@code observation}. */
    public Export inputName(String name) {
      this.inputName = checkNotNull(name, "input name must not be null");
      return this;
    }

    /** Name of the policy output; default {@code policy}. */
    public Export policyName(String name) {
      this.policyName = checkNotNull(name, "policy name must not be null");
      return this;
    }

    /** Name of the value output; default {@code value}. */
    public Export valueName(String name) {
      this.valueName = checkNotNull(name, "value name must not be null");
      return this;
    }

    /** Name of the graph; default {@code policy_value_mlp}. */
    public Export graphName(String name) {
      this.graphName = checkNotNull(name, "graph name must not be null");
      return this;
    }

    /** A fixed batch size instead of the dynamic batch axis {@code N}. */
    public Export fixedBatch(int size) {
      checkArgument(size > 0, "batch size must be positive, was %s", size);
      this.batch = size;
      return this;
    }

    /** Whether the value output is {@code [N]} instead of {@code [N, 1]}; default false. */
    public Export scalarValue(boolean scalar) {
      this.scalarValue = scalar;
      return this;
    }

    /** Whether tanh bounds the value to [-1, 1]; default true (false: a linear value head). */
    public Export tanhValue(boolean tanh) {
      this.tanhValue = tanh;
      return this;
    }

    /** The graph builder filled with this network, to add to or change before writing. */
    public OnnxModelBuilder builder() {
      OnnxModelBuilder model = new OnnxModelBuilder(graphName);
      Object[] inDims = new Object[shape.length + 1];
      inDims[0] = batch;
      for (int i = 0; i < shape.length; i++) {
        inDims[i + 1] = shape[i];
      }
      model.input(inputName, OnnxModelBuilder.ElementType.FLOAT, inDims);
      String x = inputName;
      if (shape.length > 1) {
        model.node("Flatten", new String[] {x}, new String[] {"flat"}, "axis", 1L);
        x = "flat";
      }
      if (!net.trunk().isEmpty()) {
        x = Dense.writeMlp(model, "trunk", net.trunk(), x, true);
      }
      net.policyHead().write(model, "policy_head", x, policyName);
      String v = tanhValue || scalarValue ? "value_head.out" : valueName;
      net.valueHead().write(model, "value_head", x, v);
      if (tanhValue) {
        String t = scalarValue ? "value_head.tanh" : valueName;
        model.node("Tanh", new String[] {v}, new String[] {t});
        v = t;
      }
      if (scalarValue) {
        model.initializer("value_axes", new long[] {1}, 1);
        model.node("Squeeze", new String[] {v, "value_axes"}, new String[] {valueName});
      }
      model.output(policyName, OnnxModelBuilder.ElementType.FLOAT, batch, net.actionCount());
      if (scalarValue) {
        model.output(valueName, OnnxModelBuilder.ElementType.FLOAT, batch);
      } else {
        model.output(valueName, OnnxModelBuilder.ElementType.FLOAT, batch, 1);
      }
      return model;
    }

    /** The model. */
    public ModelProto build() {
      return builder().build();
    }

    /** Writes the model to {@code file}; returns {@code file}. */
    public Path write(Path file) {
      return builder().write(file);
    }
  }
}
