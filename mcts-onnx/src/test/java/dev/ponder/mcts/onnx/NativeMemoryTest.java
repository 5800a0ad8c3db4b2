package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** One million evaluations (batch 64) must not grow native memory beyond a small bound. */
class NativeMemoryTest {

  private static final long BOUND_BYTES = 64L << 20;

  @TempDir Path dir;

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  /** Resident memory not explained by the Java heap's committed size. */
  private static long nonHeapRss() throws IOException {
    System.gc();
    return rssBytes() - Runtime.getRuntime().totalMemory();
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aMillionEvaluationsDoNotGrowNativeMemory() throws IOException {
    PolicyValueMlp net = PolicyValueMlp.random(42, new int[] {32}, 7, 1);
    Path file = net.export(42).write(dir.resolve("m.onnx"));
    SplittableRandom random = new SplittableRandom(1);
    List<float[]> states = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      states.add(Reference.randomObservation(42, random));
    }
    EvaluationBatch<float[]> batch = TestBatches.allLegal(7, states);
    try (OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(42), 7).build()) {
      for (int i = 0; i < 1_000; i++) {
        eval.evaluate(batch);
      }
      long before = nonHeapRss();
      int calls = 1_000_000 / 64 + 1;
      for (int i = 0; i < calls; i++) {
        eval.evaluate(batch);
      }
      long after = nonHeapRss();
      long growth = after - before;
      assertTrue(growth < BOUND_BYTES, String.format(
          "native memory grew by %.1f MB over %d evaluations", growth / 1048576.0, calls * 64L));
    }
  }
}
