package dev.ponder.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search asked for more simulations than its tree can hold ends with a full tree, not an
 * OutOfMemoryError: run in a forked JVM with a small heap.
 */
class HugeSearchTest {

  @TempDir Path dir;

  @Test
  void moreSimulationsThanTheHeapHoldsStopAtAFullTree() throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path output = dir.resolve("out.txt");
    Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", classPath, Main.class.getName(), "connect4",
        "analyze", "--position", "4453", "--simulations", "1000000000000", "--json")
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean exited = process.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertTrue(exited, "the forked JVM did not finish: " + text);
    assertEquals(0, process.exitValue(), text);
    String summary = text.lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(summary.matches(".*\"simulations\":[1-9][0-9]{3,}.*"), summary);
  }
}
