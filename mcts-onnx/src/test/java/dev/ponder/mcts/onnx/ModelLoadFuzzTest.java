package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of model files (Jazzer): any bytes given as a model either load, and then
 * evaluate a batch or fail it with a clear exception, or are rejected at load with a
 * {@link ModelLoadException} (or its {@link ModelContractException}) whose one-line message names the
 * file. Nothing else escapes, and nothing crashes the JVM.
 *
 * <p>{@code mvn test} runs the inputs in
 * {@code src/test/resources/dev/ponder/mcts/onnx/ModelLoadFuzzTestInputs} (regression mode); among
 * them two well-formed models 4 -> 8 -> (policy 3, value 1), the seeds the fuzzer mutates, which
 * {@link #theSeedModelsAreTheOnesTheExporterWrites} keeps in step with the exporter. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl mcts-onnx test -Dtest=ModelLoadFuzzTest}.
 */
class ModelLoadFuzzTest {

  private static final int OBSERVATION = 4;
  private static final int ACTIONS = 3;
  private static final Path SEEDS = Path.of("src/test/resources/dev/ponder/mcts/onnx/ModelLoadFuzzTestInputs"
      + "/anyModelFileLoadsOrIsRejectedWithAOneLineMessage");
  private static final Path FILE = temporaryModelFile();

  private static Path temporaryModelFile() {
    try {
      Path dir = Files.createTempDirectory("ponder-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("fuzzed.onnx");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    Files.write(FILE, bytes);
    OnnxEvaluator<float[]> evaluator;
    try {
      evaluator = OnnxEvaluator.builder(FILE, Reference.arrays(OBSERVATION), ACTIONS).maxBatch(4).build();
    } catch (ModelLoadException e) {
      assertTrue(e.getMessage().contains(FILE.toString()), "names the file: " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertEquals(FILE, e.model());
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
