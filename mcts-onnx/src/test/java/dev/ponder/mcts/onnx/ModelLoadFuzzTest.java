package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.muzero.Inference;
import dev.ponder.mcts.onnx.export.MuZeroMlps;
import dev.ponder.mcts.onnx.export.OnnxModelBuilder;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import dev.ponder.mcts.onnx.proto.Onnx.GraphProto;
import dev.ponder.mcts.onnx.proto.Onnx.ModelProto;
import dev.ponder.mcts.onnx.proto.Onnx.TensorProto;
import dev.ponder.mcts.onnx.proto.Onnx.TensorShapeProto;
import dev.ponder.mcts.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of model files (Jazzer): any bytes given as a model either load, and then
 * evaluate a batch or fail it with a clear exception, or are rejected at load with a
 * {@link ModelLoadException} (or its {@link ModelContractException}) whose one-line message names the
 * file. Nothing else escapes, and nothing crashes the JVM. A second target changes the declarations of
 * a well-formed model (types, shapes, names, outputs, nodes, initializer shapes, opset) instead of its
 * bytes, to reach the contract checks; a third does the same to one of MuZero's three graphs.
 *
 * <p>{@code mvn test} runs the inputs in
 * {@code src/test/resources/dev/ponder/mcts/onnx/ModelLoadFuzzTestInputs} (regression mode); among
 * them two well-formed models 4 -> 8 -> (policy 3, value 1), the seeds the fuzzer mutates, which
 * {@link #theSeedModelsAreTheOnesTheExporterWrites} keeps in step with the exporter. To fuzz one target
 * (Jazzer fuzzes one per run): {@code JAZZER_FUZZ=1 mvn -pl mcts-onnx test
 * -Dtest='ModelLoadFuzzTest#anyChangeToAMuZeroGraphLoadsOrIsRejected'}.
 */
class ModelLoadFuzzTest {

  private static final int OBSERVATION = 4;
  private static final int ACTIONS = 3;
  private static final Path SEEDS = Path.of("src/test/resources/dev/ponder/mcts/onnx/ModelLoadFuzzTestInputs"
      + "/anyModelFileLoadsOrIsRejectedWithAOneLineMessage");
  @TempDir static Path dir;

  private static Path file() {
    return dir.resolve("fuzzed.onnx");
  }

  private static Path muzero() throws IOException {
    return Files.createDirectories(dir.resolve("muzero"));
  }

  /** The seeds: the reference layout, and a linear value head of shape [N] (values may leave [-1, 1]). */
  private static PolicyValueMlp.Export seed(boolean linear) {
    return PolicyValueMlp.random(OBSERVATION, new int[] {8}, ACTIONS, 1).export(OBSERVATION)
        .scalarValue(linear).tanhValue(!linear);
  }

  @Test
  void theSeedModelsAreTheOnesTheExporterWrites() throws IOException {
    assertArrayEquals(seed(false).builder().toByteArray(),
        Files.readAllBytes(SEEDS.resolve("policy-value-4-8-3")));
    assertArrayEquals(seed(true).builder().toByteArray(),
        Files.readAllBytes(SEEDS.resolve("policy-value-4-8-3-linear-scalar-value")));
  }

  @FuzzTest(maxDuration = "5m")
  void anyModelFileLoadsOrIsRejectedWithAOneLineMessage(byte[] bytes) throws IOException {
    loadsOrIsRejected(bytes);
  }

  /**
   * The same, on well-formed protobufs: the seed model with its declared inputs, outputs, element types,
   * shapes, initializers and nodes changed as the input says, so that the fuzzer reaches the model's
   * contract checks instead of stopping in the protobuf parser.
   */
  @FuzzTest(maxDuration = "5m")
  void anyChangeToAModelsDeclarationsLoadsOrIsRejected(FuzzedDataProvider data) throws IOException {
    loadsOrIsRejected(changed(seed(data.consumeBoolean()).build(), data).toByteArray());
  }

  /**
   * The same for MuZero's three graphs ({@link OnnxLearnedModel}): one of them changed, then both
   * inferences run, or the load fails with a {@link ModelLoadException} naming that graph's file.
   */
  @FuzzTest(maxDuration = "5m")
  void anyChangeToAMuZeroGraphLoadsOrIsRejected(FuzzedDataProvider data) throws IOException {
    MuZeroMlps nets = MuZeroMlps.random(OBSERVATION, 3, ACTIONS, 8, 1);
    OnnxModelBuilder[] graphs = {nets.representationGraph(), nets.dynamicsGraph(), nets.predictionGraph()};
    Path muzero = muzero();
    Path[] files = {muzero.resolve(MuZeroMlps.REPRESENTATION), muzero.resolve(MuZeroMlps.DYNAMICS),
        muzero.resolve(MuZeroMlps.PREDICTION)};
    int target = data.consumeInt(0, 2);
    for (int g = 0; g < graphs.length; g++) {
      ModelProto model = graphs[g].build();
      Files.write(files[g], (g == target ? changed(model, data) : model).toByteArray());
    }
    OnnxLearnedModel model;
    try {
      model = OnnxLearnedModel.builder(muzero, new int[] {OBSERVATION}, ACTIONS).maxBatch(4).build();
    } catch (ModelLoadException e) {
      assertTrue(e.getMessage().contains(files[target].toString()), "names the file: " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertEquals(files[target], e.model());
      return;
    }
    try (model) {
      SplittableRandom random = new SplittableRandom(target);
      List<Inference> initial = model.initial(List.of(observation(random), observation(random)));
      model.recurrent(List.of(initial.get(0).latent(), initial.get(1).latent()), new int[] {0, ACTIONS - 1});
    } catch (InvalidEvaluationException | OnnxRunException e) {
      assertFalse(e.getMessage().isBlank(), e.toString());
    }
  }

  /** {@code model} with one to six of its declarations changed as the input says. */
  private static ModelProto changed(ModelProto seed, FuzzedDataProvider data) {
    ModelProto.Builder model = seed.toBuilder();
    GraphProto.Builder graph = model.getGraphBuilder();
    int changes = data.consumeInt(1, 6);
    for (int i = 0; i < changes; i++) {
      switch (data.consumeInt(0, 7)) {
        case 0 -> retype(port(graph, data), data);
        case 1 -> reshape(port(graph, data), data);
        case 2 -> port(graph, data).setName(NAMES[data.consumeInt(0, NAMES.length - 1)]);
        case 3 -> {
          if (graph.getOutputCount() > 0) {
            graph.removeOutput(data.consumeInt(0, graph.getOutputCount() - 1));
          }
        }
        case 4 -> graph.addInput(
            graph.getInput(0).toBuilder().setName(NAMES[data.consumeInt(0, NAMES.length - 1)]));
        case 5 -> {
          if (graph.getNodeCount() > 0) {
            graph.removeNode(data.consumeInt(0, graph.getNodeCount() - 1));
          }
        }
        case 6 -> {
          if (graph.getInitializerCount() > 0) {
            TensorProto.Builder t =
                graph.getInitializerBuilder(data.consumeInt(0, graph.getInitializerCount() - 1));
            if (t.getDimsCount() > 0) {
              t.setDims(data.consumeInt(0, t.getDimsCount() - 1), data.consumeLong());
            }
          }
        }
        default -> model.setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(data.consumeLong()));
      }
    }
    return model.build();
  }

  private static final String[] NAMES =
      {"observation", "policy", "value", "latent", "action", "next_latent", "reward", "x", ""};

  /** One of the graph's declared inputs and outputs. */
  private static ValueInfoProto.Builder port(GraphProto.Builder graph, FuzzedDataProvider data) {
    int k = data.consumeInt(0, graph.getInputCount() + graph.getOutputCount() - 1);
    return k < graph.getInputCount() ? graph.getInputBuilder(k)
        : graph.getOutputBuilder(k - graph.getInputCount());
  }

  private static void retype(ValueInfoProto.Builder port, FuzzedDataProvider data) {
    port.getTypeBuilder().getTensorTypeBuilder().setElemType(data.consumeInt(0, 16));
  }

  private static void reshape(ValueInfoProto.Builder port, FuzzedDataProvider data) {
    TensorShapeProto.Builder shape = port.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
    switch (data.consumeInt(0, 3)) {
      case 0 -> shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(data.consumeLong()));
      case 1 -> {
        if (shape.getDimCount() > 0) {
          shape.removeDim(data.consumeInt(0, shape.getDimCount() - 1));
        }
      }
      case 2 -> {
        if (shape.getDimCount() > 0) {
          shape.setDim(data.consumeInt(0, shape.getDimCount() - 1),
              TensorShapeProto.Dimension.newBuilder().setDimParam(data.consumeString(4)));
        }
      }
      default -> {
        if (shape.getDimCount() > 0) {
          shape.setDim(data.consumeInt(0, shape.getDimCount() - 1),
              TensorShapeProto.Dimension.newBuilder().setDimValue(data.consumeLong(-2, 1 << 20)));
        }
      }
    }
  }

  private static void loadsOrIsRejected(byte[] bytes) throws IOException {
    Path file = file();
    Files.write(file, bytes);
    OnnxEvaluator<float[]> evaluator;
    try {
      evaluator = OnnxEvaluator.builder(file, Reference.arrays(OBSERVATION), ACTIONS).maxBatch(4).build();
    } catch (ModelLoadException e) {
      assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertEquals(file, e.model());
      return;
    }
    try (evaluator) {
      SplittableRandom random = new SplittableRandom(bytes.length);
      List<float[]> states = List.of(observation(random), observation(random), observation(random));
      EvaluationBatch<float[]> batch = TestBatches.allLegal(ACTIONS, states);
      try {
        evaluator.evaluate(batch);
        TestBatches.checkAndNormalize(batch);
      } catch (InvalidEvaluationException | OnnxRunException e) {
        assertFalse(e.getMessage().isBlank(), e.toString());
      }
    }
  }

  private static float[] observation(SplittableRandom random) {
    float[] x = new float[OBSERVATION];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
