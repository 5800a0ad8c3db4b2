package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.muzero.Inference;
import dev.ponder.mcts.onnx.export.Dense;
import dev.ponder.mcts.onnx.export.MuZeroMlps;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxLearnedModelTest {

  private static final int O = 12;
  private static final int L = 8;
  private static final int A = 4;

  @TempDir Path dir;

  private static void assertInference(double[] latent, double reward, double[][] policyValue,
      Inference actual) {
    for (int i = 0; i < latent.length; i++) {
      assertEquals(latent[i], actual.latent()[i], 1e-5, "latent " + i);
    }
    assertEquals(reward, actual.reward(), 1e-5, "reward");
    for (int a = 0; a < A; a++) {
      assertEquals(policyValue[0][a], actual.policyLogits()[a], 1e-5, "logit " + a);
    }
    assertEquals(policyValue[1][0], actual.value(), 1e-5, "value");
  }

  @Test
  void initialAndRecurrentMatchPlainJavaForwardPasses() {
    MuZeroMlps nets = MuZeroMlps.random(O, L, A, 16, 11);
    Path models = nets.write(dir.resolve("muzero"));
    SplittableRandom random = new SplittableRandom(12);
    try (OnnxLearnedModel model =
        OnnxLearnedModel.builder(models, new int[] {O}, A).maxBatch(4).build()) {
      assertEquals(O, model.observationSize());
      assertEquals(L, model.latentSize());
      assertEquals(A, model.actionCount());
      List<float[]> observations = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        observations.add(Reference.randomObservation(O, random));
      }
      List<Inference> initial = model.initial(observations);
      assertEquals(9, initial.size());
      for (int i = 0; i < 9; i++) {
        double[] latent = Reference.representation(nets, observations.get(i));
        double[][] pv = Reference.policyValue(nets.prediction(), toFloat(latent));
        assertInference(latent, 0, pv, initial.get(i));
      }
      List<float[]> latents = new ArrayList<>();
      int[] actions = new int[9];
      for (int i = 0; i < 9; i++) {
        latents.add(initial.get(i).latent());
        actions[i] = i % A;
      }
      List<Inference> next = model.recurrent(latents, actions);
      for (int i = 0; i < 9; i++) {
        double[][] dyn = Reference.dynamics(nets, latents.get(i), actions[i]);
        double[][] pv = Reference.policyValue(nets.prediction(), toFloat(dyn[0]));
        assertInference(dyn[0], dyn[1][0], pv, next.get(i));
      }
      assertThrows(IllegalArgumentException.class,
          () -> model.recurrent(latents, new int[] {0}));
      assertThrows(IndexOutOfBoundsException.class,
          () -> model.recurrent(List.of(latents.get(0)), new int[] {A}));
      assertThrows(IllegalArgumentException.class, () -> model.initial(List.of(new float[O + 1])));
    }
  }

  @Test
  void actionCountMismatchIsRejectedAtLoad() {
    Path models = MuZeroMlps.random(O, L, A, 8, 1).write(dir.resolve("m"));
    ModelContractException e = assertThrows(ModelContractException.class,
        () -> OnnxLearnedModel.builder(models, new int[] {O}, A + 1).build());
    assertTrue(e.getMessage().contains("dynamics.onnx: input 'action' has shape [N, 4], expected"
        + " [N, 5] (one-hot action over 5 actions)"), e.getMessage());
  }

  @Test
  void observationMismatchIsRejectedAtLoad() {
    Path models = MuZeroMlps.random(O, L, A, 8, 1).write(dir.resolve("m"));
    ModelContractException e = assertThrows(ModelContractException.class,
        () -> OnnxLearnedModel.builder(models, new int[] {3, 4, 1}, A).build());
    assertTrue(e.getMessage().contains("representation.onnx: input 'observation' has shape"
        + " [N, 12], expected [N, 3, 4, 1]"), e.getMessage());
  }

  @Test
  void latentMismatchBetweenGraphsIsRejectedAtLoad() {
    Path models = MuZeroMlps.random(O, L, A, 8, 1).write(dir.resolve("m"));
    // a prediction graph for another latent size
    PolicyValueMlp.random(L + 2, new int[] {4}, A, 2).export(L + 2).inputName("latent")
        .write(models.resolve(MuZeroMlps.PREDICTION));
    ModelContractException e = assertThrows(ModelContractException.class,
        () -> OnnxLearnedModel.builder(models, new int[] {O}, A).build());
    assertTrue(e.getMessage().contains("prediction.onnx: input 'latent' has shape [N, 10],"
        + " expected [N, 8] (the latent shape of representation.onnx)"), e.getMessage());
  }

  @Test
  void nonFiniteOutputsAreCaughtWithTheRow() {
    MuZeroMlps nets = MuZeroMlps.random(O, L, A, 8, 3);
    float[][] w = new float[1][8];
    float[] nanBias = {Float.NaN};
    MuZeroMlps bad = new MuZeroMlps(nets.representation(), nets.dynamicsTrunk(),
        nets.nextLatent(), new Dense(w, nanBias), nets.prediction());
    Path models = bad.write(dir.resolve("nan"));
    try (OnnxLearnedModel model = OnnxLearnedModel.builder(models, new int[] {O}, A).build()) {
      List<Inference> initial = model.initial(List.of(new float[O], new float[O]));
      InvalidEvaluationException e = assertThrows(InvalidEvaluationException.class,
          () -> model.recurrent(List.of(initial.get(0).latent(), initial.get(1).latent()),
              new int[] {1, 2}));
      assertTrue(e.getMessage().contains("reward output is NaN at index 0 for batch row 0"),
          e.getMessage());
    }
  }

  @Test
  void callsAfterCloseThrow() {
    Path models = MuZeroMlps.random(O, L, A, 8, 1).write(dir.resolve("m"));
    OnnxLearnedModel model = OnnxLearnedModel.builder(models, new int[] {O}, A).build();
    model.close();
    model.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> model.initial(List.of(new float[O])));
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> model.initial(List.of())); // even an empty list
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> model.recurrent(List.of(), new int[0]));
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
  }

  @Test
  void badInputsAreNamedBeforeAnythingRuns() {
    Path models = MuZeroMlps.random(O, L, A, 8, 1).write(dir.resolve("m"));
    OnnxLearnedModel.Builder builder = OnnxLearnedModel.builder(models, new int[] {O}, A);
    assertEquals("policy name must not be null",
        assertThrows(NullPointerException.class, () -> builder.predictionNames("latent", null, "value")).getMessage());
    assertEquals("intraOpThreads must be in [1, 1024], was 2147483647",
        assertThrows(IllegalArgumentException.class, () -> builder.intraOpThreads(Integer.MAX_VALUE)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> OnnxLearnedModel.builder(models, new int[] {65536, 65536}, A).build()).getMessage()
        .startsWith("the observation shape [65536, 65536] has more floats per row than a tensor row can hold"));
    try (OnnxLearnedModel model = builder.build()) {
      float[] nan = new float[O];
      nan[1] = Float.NaN;
      assertEquals("observation 0 holds NaN at index 1; inputs must be finite",
          assertThrows(IllegalArgumentException.class, () -> model.initial(List.of(nan))).getMessage());
    }
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }
}
