package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.onnx.export.OnnxModelBuilder;
import dev.ponder.mcts.onnx.export.OnnxModelBuilder.ElementType;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxEvaluatorTest {

  private static final int A = 7;

  @TempDir Path dir;

  /** Checks every row of an evaluated batch against the plain-Java forward pass. */
  private static void assertMatchesReference(PolicyValueMlp net, EvaluationBatch<float[]> batch,
      int[][] legal) {
    TestBatches.checkAndNormalize(batch);
    for (int row = 0; row < batch.size(); row++) {
      double[][] ref = Reference.policyValue(net, batch.state(row));
      assertEquals(ref[1][0], TestBatches.value(batch, row), 1e-5, "value of row " + row);
      double[] p = Reference.softmax(ref[0], legal[row]);
      for (int k = 0; k < legal[row].length; k++) {
        assertEquals(p[k], TestBatches.prior(batch, row, k), 1e-5, "prior " + k + " row " + row);
      }
    }
  }

  private static int[][] randomLegal(int rows, SplittableRandom random) {
    int[][] legal = new int[rows][];
    for (int r = 0; r < rows; r++) {
      List<Integer> actions = new ArrayList<>();
      for (int a = 0; a < A; a++) {
        if (random.nextInt(3) > 0) {
          actions.add(a);
        }
      }
      if (actions.isEmpty()) {
        actions.add(random.nextInt(A));
      }
      legal[r] = actions.stream().mapToInt(Integer::intValue).toArray();
    }
    return legal;
  }

  private static List<float[]> states(int rows, int size, SplittableRandom random) {
    List<float[]> states = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      states.add(Reference.randomObservation(size, random));
    }
    return states;
  }

  private void checkAgainstReference(PolicyValueMlp net, OnnxEvaluator<float[]> eval,
      int[] batchSizes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int rows : batchSizes) {
      int[][] legal = randomLegal(rows, random);
      EvaluationBatch<float[]> batch =
          TestBatches.of(A, states(rows, net.inputs(), random), legal);
      eval.evaluate(batch);
      assertMatchesReference(net, batch, legal);
    }
  }

  @Test
  void matchesPlainJavaForwardPassWithMaskingAndChunks() {
    PolicyValueMlp net = PolicyValueMlp.random(84, new int[] {32, 16}, A, 1);
    Path file = net.export(2, 6, 7).write(dir.resolve("pv.onnx"));
    try (OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(2, 6, 7), A).maxBatch(16).build()) {
      assertFalse(eval.fixedBatchSize().isPresent());
      assertEquals(Device.cpu(), eval.device());
      checkAgainstReference(net, eval, new int[] {1, 2, 16, 17, 40, 1}, 2);
    }
  }

  @Test
  void scalarValueOutputAndCustomNames() {
    PolicyValueMlp net = PolicyValueMlp.random(42, new int[] {24}, A, 3);
    Path file = net.export(42).scalarValue(true).inputName("board").policyName("logits")
        .valueName("v").write(dir.resolve("scalar.onnx"));
    try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, Reference.arrays(42), A)
        .inputName("board").policyOutput("logits").valueOutput("v").build()) {
      checkAgainstReference(net, eval, new int[] {1, 9, 64}, 4);
    }
  }

  @Test
  void fixedBatchModelIsFedInPaddedChunks() {
    PolicyValueMlp net = PolicyValueMlp.random(42, new int[] {16}, A, 5);
    Path file = net.export(42).fixedBatch(8).write(dir.resolve("fixed.onnx"));
    try (OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(42), A).build()) {
      assertEquals(8, eval.fixedBatchSize().getAsInt());
      checkAgainstReference(net, eval, new int[] {1, 8, 19, 3}, 6);
    }
  }

  @Test
  void linearModelWithoutHiddenLayers() {
    PolicyValueMlp net = PolicyValueMlp.random(10, new int[0], A, 7);
    Path file = net.export(10).write(dir.resolve("linear.onnx"));
    try (OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(10), A).build()) {
      checkAgainstReference(net, eval, new int[] {5}, 8);
    }
  }

  /**
   * A probe model over 2 floats: value = x0 (no tanh), logit of action 0 = x1, other logits 0. It lets
   * a test put any number in any row's output.
   */
  static Path probeModel(Path file) {
    float[] policyW = new float[A];
    policyW[0] = 1;
    OnnxModelBuilder m = new OnnxModelBuilder("probe");
    m.input("observation", ElementType.FLOAT, "N", 2);
    m.node("Split", new String[] {"observation"}, new String[] {"x0", "x1"}, "axis", 1L);
    m.initializer("pw", policyW, A, 1);
    m.node("Gemm", new String[] {"x1", "pw"}, new String[] {"policy"}, "transB", 1L);
    m.node("Identity", new String[] {"x0"}, new String[] {"value"});
    m.output("policy", ElementType.FLOAT, "N", A);
    m.output("value", ElementType.FLOAT, "N", 1);
    return m.write(file);
  }

  private static EvaluationBatch<float[]> probeBatch(int rows, int badRow, float x0, float x1) {
    List<float[]> states = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      states.add(r == badRow ? new float[] {x0, x1} : new float[] {0.5f, 0f});
    }
    return TestBatches.allLegal(A, states);
  }

  @Test
  void nonFiniteAndOutOfRangeOutputsAreCaughtEveryTimeWithTheRow() {
    Path file = probeModel(dir.resolve("probe.onnx"));
    try (OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(2), A).maxBatch(8).build()) {
      Object[][] cases = {
          {Float.NaN, 0f, "'value' is NaN"},
          {Float.POSITIVE_INFINITY, 0f, "'value' is Infinity"},
          {Float.NEGATIVE_INFINITY, 0f, "'value' is -Infinity"},
          {1.5f, 0f, "'value' is 1.5"},
          {-1.0001f, 0f, "'value' is -1.0001"},
          {0f, Float.NaN, "'policy' is NaN for action 0"},
          {0f, Float.POSITIVE_INFINITY, "'policy' is Infinity for action 0"},
          {0f, Float.NEGATIVE_INFINITY, "'policy' is -Infinity for action 0"},
      };
      for (int repeat = 0; repeat < 5; repeat++) {
        for (Object[] c : cases) {
          int badRow = 3 + repeat * 4; // rows past the first chunk too
          EvaluationBatch<float[]> batch = probeBatch(24, badRow, (float) c[0], (float) c[1]);
          InvalidEvaluationException e =
              assertThrows(InvalidEvaluationException.class, () -> eval.evaluate(batch));
          assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
          assertTrue(e.getMessage().contains("batch row " + badRow + " ("), e.getMessage());
          assertTrue(e.getMessage().contains("probe.onnx"), e.getMessage());
        }
      }
      // and the good rows still evaluate: the values 1 and -1 are allowed
      EvaluationBatch<float[]> ok = probeBatch(4, 1, 1f, 3f);
      eval.evaluate(ok);
      TestBatches.checkAndNormalize(ok);
      assertEquals(1.0, TestBatches.value(ok, 1), 0);
    }
  }

  @Test
  void underflowingLegalLogitsGiveUniformPriors() {
    // logit of action 0 is huge: the other legal actions underflow to zero but action 0 is illegal
    Path file = probeModel(dir.resolve("probe.onnx"));
    try (OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(2), A).build()) {
      EvaluationBatch<float[]> batch = TestBatches.of(A, List.of(new float[] {0f, 1e30f}),
          new int[][] {{1, 2, 3}});
      eval.evaluate(batch);
      TestBatches.checkAndNormalize(batch);
      for (int k = 0; k < 3; k++) {
        assertEquals(1 / 3.0, TestBatches.prior(batch, 0, k), 1e-6);
      }
    }
  }

  private static ObservationEncoder<float[]> writing(int floats) {
    return encoder((state, out) -> {
      for (int i = 0; i < floats; i++) {
        out.put(0f);
      }
    });
  }

  @Test
  void encoderWritingTheWrongNumberOfFloatsThrows() {
    Path file = probeModel(dir.resolve("probe.onnx"));
    try (OnnxEvaluator<float[]> few = OnnxEvaluator.builder(file, writing(1), A).build();
        OnnxEvaluator<float[]> many = OnnxEvaluator.builder(file, writing(3), A).build()) {
      EvaluationBatch<float[]> batch = probeBatch(3, 0, 0f, 0f);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> few.evaluate(batch));
      assertTrue(e.getMessage().contains("wrote 1 floats for batch row 0"), e.getMessage());
      e = assertThrows(IllegalStateException.class, () -> many.evaluate(batch));
      assertTrue(e.getMessage().contains("wrote more than 2 floats for batch row 0"), e.getMessage());
    }
  }

  /** Encoders that break the buffer's rules: an absolute put past the row, and a clear(). */
  @Test
  void encoderMisusingTheBufferIsNamedWithTheRow() {
    Path file = probeModel(dir.resolve("probe.onnx"));
    ObservationEncoder<float[]> absolute = encoder((state, out) -> out.put(out.position() + 2, 1f));
    ObservationEncoder<float[]> clearing = encoder((state, out) -> {
      out.clear();
      out.put(1f).put(2f);
    });
    try (OnnxEvaluator<float[]> a = OnnxEvaluator.builder(file, absolute, A).build();
        OnnxEvaluator<float[]> c = OnnxEvaluator.builder(file, clearing, A).build()) {
      EvaluationBatch<float[]> batch = probeBatch(3, 0, 0f, 0f);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.evaluate(batch));
      assertTrue(e.getMessage().contains("wrote outside its 2 floats for batch row 0")
          && e.getMessage().contains("relative puts"), e.getMessage());
      e = assertThrows(IllegalStateException.class, () -> c.evaluate(batch));
      assertTrue(e.getMessage().contains("moved the buffer's limit or position back")
          && e.getMessage().contains("batch row 0"), e.getMessage());
    }
  }

  @Test
  void aNanObservationIsNamedAsTheCauseOfANanOutputAndImpossibleSettingsAreRefused() {
    Path file = probeModel(dir.resolve("probe.onnx"));
    ObservationEncoder<float[]> nan = encoder((state, out) -> out.put(0f).put(Float.NaN));
    try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, nan, A).build()) {
      InvalidEvaluationException e =
          assertThrows(InvalidEvaluationException.class, () -> eval.evaluate(probeBatch(2, 0, 0f, 0f)));
      assertTrue(e.getMessage().contains("batch row 0") && e.getMessage().contains(
          "its observation holds NaN at index 1, as encoder"), e.getMessage());
    }
    OnnxEvaluator.Builder<float[]> builder = OnnxEvaluator.builder(file, Reference.arrays(2), A);
    assertEquals("intraOpThreads must be in [1, 1024], was 2147483647",
        assertThrows(IllegalArgumentException.class, () -> builder.intraOpThreads(Integer.MAX_VALUE)).getMessage());
    assertEquals("interOpThreads must be in [1, 1024], was 0",
        assertThrows(IllegalArgumentException.class, () -> builder.interOpThreads(0)).getMessage());
    ObservationEncoder<float[]> huge = new ObservationEncoder<>() {
      @Override
      public int[] shape() {
        return new int[] {65536, 65536};
      }

      @Override
      public void encode(float[] state, FloatBuffer out) {}
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxEvaluator.builder(file, huge, A).build());
    assertTrue(e.getMessage().startsWith(
        "the encoder's shape() [65536, 65536] has more floats per row than a tensor row can hold"), e.getMessage());
  }

  /** Buffers grow with the batches given, up to maxBatch rows: a large maxBatch costs nothing up front. */
  @Test
  void buffersGrowWithTheBatchesUpToMaxBatchAndAnswersStayExact() {
    PolicyValueMlp net = PolicyValueMlp.random(84, new int[] {32, 16}, A, 1);
    Path file = net.export(2, 6, 7).write(dir.resolve("pv.onnx"));
    try (OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(2, 6, 7), A).maxBatch(1_000_000).build()) {
      checkAgainstReference(net, eval, new int[] {3, 1, 100, 5, 700, 2, 129}, 3);
      int rowFloats = 84 + A + 1; // observation, logits, value
      assertTrue(eval.evaluateBufferFloats() <= 1024L * rowFloats,
          "buffers of " + eval.evaluateBufferFloats() + " floats for batches of at most 700 rows");
    }
  }

  /** An encoder of shape [2] that writes as {@code write} does. */
  private static ObservationEncoder<float[]> encoder(java.util.function.BiConsumer<float[], FloatBuffer> write) {
    return new ObservationEncoder<>() {
      @Override
      public int[] shape() {
        return new int[] {2};
      }

      @Override
      public void encode(float[] state, FloatBuffer out) {
        write.accept(state, out);
      }
    };
  }

  @Test
  void evaluateAfterCloseThrowsAndCloseIsIdempotent() {
    Path file = probeModel(dir.resolve("probe.onnx"));
    OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, Reference.arrays(2), A).build();
    eval.evaluate(probeBatch(2, 0, 0f, 0f));
    eval.close();
    eval.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> eval.evaluate(probeBatch(2, 0, 0f, 0f)));
    assertEquals("OnnxEvaluator for model " + file + " is closed", e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> eval.evaluate(new EvaluationBatch<>(A))); // empty
    assertEquals("OnnxEvaluator for model " + file + " is closed", e.getMessage());
  }

  @Test
  void builderRejectsBadSettingsAtOnce() {
    Path file = dir.resolve("any.onnx");
    assertThrows(IllegalArgumentException.class,
        () -> OnnxEvaluator.builder(file, Reference.arrays(2), 0));
    assertThrows(IllegalArgumentException.class,
        () -> OnnxEvaluator.builder(file, Reference.arrays(2, 0), 3));
    assertThrows(IllegalArgumentException.class,
        () -> OnnxEvaluator.builder(file, Reference.arrays(2), 3).intraOpThreads(0));
    assertThrows(IllegalArgumentException.class,
        () -> OnnxEvaluator.builder(file, Reference.arrays(2), 3).maxBatch(0));
    assertThrows(IllegalArgumentException.class,
        () -> OnnxEvaluator.builder(file, Reference.arrays(2), 3).policyOutput("v")
            .valueOutput("v").build());
    assertThrows(IllegalArgumentException.class, () -> Device.cpu().withCpuFallback());
  }

  @Test
  void exportedModelRoundTripsThroughTheProtoClasses() throws Exception {
    PolicyValueMlp net = PolicyValueMlp.random(4, new int[] {3}, 2, 9);
    byte[] bytes = net.export(4).builder().toByteArray();
    var model = dev.ponder.mcts.onnx.proto.Onnx.ModelProto.parseFrom(bytes);
    assertEquals(OnnxModelBuilder.IR_VERSION, model.getIrVersion());
    assertEquals(OnnxModelBuilder.DEFAULT_OPSET, model.getOpsetImport(0).getVersion());
    assertEquals("observation", model.getGraph().getInput(0).getName());
    assertEquals(ElementType.FLOAT.code(),
        model.getGraph().getInput(0).getType().getTensorType().getElemType());
  }
}
