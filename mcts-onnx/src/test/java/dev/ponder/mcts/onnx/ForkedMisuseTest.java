package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link MisuseMain} in a forked JVM, which must exit normally: no native crash. */
class ForkedMisuseTest {

  @TempDir Path dir;

  @Test
  void misuseThrowsAndNeverCrashesTheJvm() throws Exception {
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path output = dir.resolve("out.txt");
    Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", classPath,
        MisuseMain.class.getName())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean exited = process.waitFor(150, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertTrue(exited, "the forked JVM did not finish: " + text);
    assertEquals(0, process.exitValue(), "exit code; output:" + File.separator + text);
    List<String> lines = text.lines().toList();
    assertTrue(lines.contains("OK close during evaluation"), text);
    assertTrue(lines.contains("OK close during staged runs"), text);
    assertTrue(lines.contains("OK stage closed during its steps"), text);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("OK evaluate after close: ")
        && l.endsWith("is closed")), text);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("OK wrong observation size: ")
        && l.contains("wrote 41 floats for batch row 0")), text);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("OK long observation: ")
        && l.contains("wrote more than 42 floats")), text);
    assertTrue(lines.contains("OK all"), text);
  }
}
