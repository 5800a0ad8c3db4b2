package dev.ponder.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
