package dev.ponder.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runner starts and prints its summary keys; tiny budgets, no timing asserted. */
class RunnerSmokeTest {

  private static String lastLine(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertEquals(0, Main.run(args));
    } finally {
      System.setOut(saved);
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    for (String line : lines) {
      assertTrue(line.startsWith("{") && line.endsWith("}"), "not a JSON line: " + line);
    }
    return lines.get(lines.size() - 1);
  }

  @Test
  void corePrintsSimulationsPerSecond() {
    String summary = lastLine("core", "--seconds", "1", "--json", "--rounds", "1", "--simulations", "100",
        "--threads", "1");
    assertTrue(summary.contains("\"type\":\"summary\""), summary);
    assertTrue(summary.contains("\"simulations_per_second\":"), summary);
  }

  @Test
  void coreMeasuresASharedTreeWithAWaitingEvaluator() {
    String summary = lastLine("core", "--seconds", "1", "--json", "--rounds", "1", "--simulations", "50",
        "--threads", "1", "--latency-micros", "20", "--latency-threads", "1,3");
    assertTrue(summary.contains("\"evaluator_latency_micros\":20"), summary);
    assertTrue(summary.matches(".*\"shared_tree_simulations_per_second_by_threads_with_latency\":"
        + "\\{\"1\":[0-9.e+]+,\"3\":[0-9.e+]+}.*"), summary);
  }

  @Test
  void coreMeasuresASharedTreeWithWaitingSteps() {
    String summary = lastLine("core", "--seconds", "1", "--json", "--rounds", "1", "--simulations", "50",
        "--threads", "1", "--latency-micros", "20", "--latency-in", "step", "--latency-threads", "1,3");
    assertTrue(summary.contains("\"evaluator_latency_micros\":0"), summary);
    assertTrue(summary.contains("\"step_latency_micros\":20"), summary);
    assertTrue(summary.matches(".*\"shared_tree_simulations_per_second_by_threads_with_latency\":"
        + "\\{\"1\":[0-9.e+]+,\"3\":[0-9.e+]+}.*"), summary);
  }

  @Test
  void memoryPrintsBytesPerNodeAndEdge() {
    String summary = lastLine("memory", "--nodes", "20000", "--games", "synthetic", "--json");
    assertTrue(summary.contains("\"bytes_per_node\":"), summary);
    assertTrue(summary.contains("\"bytes_per_edge\":"), summary);
  }

  @Test
  void onnxEfficiencyPrintsItsKeys() {
    String summary = lastLine("onnx-efficiency", "--batch", "8", "--seconds", "0.5", "--rounds", "1",
        "--simulations", "16", "--json");
    for (String key : List.of("batch", "search_evals_per_second", "raw_evals_per_second", "efficiency")) {
      assertTrue(summary.contains("\"" + key + "\":"), key + " missing: " + summary);
    }
  }

  @Test
  void onnxEfficiencyRunsAnotherMlpGivenItsHiddenWidths() {
    String summary = lastLine("onnx-efficiency", "--hidden", "24,16,8", "--batch", "8", "--seconds", "0.5",
        "--rounds", "1", "--simulations", "16", "--json");
    assertTrue(summary.contains("\"model\":\"custom (42-24-16-8-(7,1))\""), summary);
    assertTrue(summary.contains("\"mean_leaf_depth\":"), summary);
  }

  /** A bad option value is a one-line usage error (exit code 2) naming the option and the value, before any run. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "onnx-efficiency --batch 0 | --batch must be at least 1, was 0",
      "onnx-efficiency --leaves 0 | --leaves must be at least 1, was 0",
      "onnx-efficiency --seconds -1 | --seconds must be a positive number, was -1.0",
      "onnx-efficiency --problems 0 | --problems must be at least 1, was 0",
      "core --rounds 0 | --rounds must be at least 1, was 0",
      "core --threads 1,0 | every value of --threads must be at least 1, was 0",
      "core --latency-micros 0 | --latency-micros must be a positive number, was 0.0",
      "core --latency-threads 2,0 | every value of --latency-threads must be at least 1, was 0",
      "core --latency-in gpu | Invalid value for option '--latency-in': expected one of [evaluator, step]"
          + " (case-insensitive) but was 'gpu'",
      "onnx-efficiency --leaves 65 | --leaves must be at most --batch (64), was 65",
      "onnx-efficiency --hidden 64,0 | every value of --hidden must be at least 1, was 0",
      "onnx-efficiency --hidden 5000 | every value of --hidden must be at most 4096, was 5000",
      "memory --nodes -5 | every value of --nodes must be at least 2, was -5",
      "memory --games chess | Invalid value for option '--games' (<games>): expected one of [SYNTHETIC, CONNECT4]"
          + " (case-insensitive) but was 'chess'"})
  void badOptionsAreUsageErrorsThatNameTheOption(String command, String message) {
    PrintStream saved = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertEquals(2, Main.run(command.split(" ")));
    } finally {
      System.setErr(saved);
    }
    String err = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(err.startsWith(message + " (see ponder-benchmarks " + command.split(" ")[0] + " --help)"), err);
    assertEquals(1, err.lines().count(), err);
  }
}
