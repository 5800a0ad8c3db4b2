package dev.ponder.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.onnx.export.Dense;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model FILE.onnx} on the Connect Four commands: good models search, bad ones exit 2 in one line. */
class ModelOptionTest {

  @TempDir
  static Path dir;

  /** A random network that fits the Connect Four encoder: [N, 2, 6, 7] to 7 logits and a tanh value. */
  static Path good;

  @BeforeAll
  static void writeModel() {
    good = PolicyValueMlp.random(84, new int[] {32}, 7, 42).export(2, 6, 7).write(dir.resolve("m.onnx"));
  }

  private static void assertModelError(CliRun run, String... fragments) {
    assertEquals(2, run.code(), "exit code; stderr: " + run.err() + " stdout: " + run.out());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(run.err().startsWith("error: "), run.err());
    for (String fragment : fragments) {
      assertTrue(run.err().contains(fragment), "'" + fragment + "' in " + run.err());
    }
    assertFalse(run.err().contains("Exception"), run.err());
    assertFalse(run.err().contains("\tat ") || run.err().contains("\n at "), run.err());
  }

  private static int sumOfNumbers(String jsonArray) {
    return Arrays.stream(jsonArray.substring(1, jsonArray.length() - 1).split(","))
        .filter(v -> !v.equals("null")).mapToInt(Integer::parseInt).sum();
  }

  @Test
  void analyzeSearchesWithTheModel() {
    CliRun run = CliRun.of("connect4", "analyze", "--position", "4453", "--simulations", "200", "--model",
        good.toString(), "--json");
    assertEquals(0, run.code(), run.err());
    assertEquals("", run.err());
    assertEquals(8, run.lines().size(), "7 playable columns and the summary: " + run.out());
    assertTrue(run.summary().startsWith("{\"summary\":{"), run.summary());
    for (String key : new String[] {"position", "to_play", "simulations", "seed", "model", "chosen", "value",
        "visits", "q", "prior"}) {
      run.summaryValue(key);
    }
    assertEquals("200", run.summaryValue("simulations"));
    // The first simulation evaluates the root itself (as with rollouts); each other one visits a column.
    assertEquals(199, sumOfNumbers(run.summaryValue("visits")), run.summaryValue("visits"));
    assertEquals("\"" + good.toString().replace("\\", "\\\\") + "\"", run.summaryValue("model"));
    int chosen = Integer.parseInt(run.summaryValue("chosen"));
    assertTrue(chosen >= 1 && chosen <= 7, "chosen " + chosen);
    // The network's priors are not uniform, unlike those of random rollouts.
    assertEquals(7, Arrays.stream(run.summaryValue("prior").replaceAll("[\\[\\]]", "").split(","))
        .distinct().count(), run.summaryValue("prior"));
  }

  @Test
  void analyzeTextNamesTheModelAndIsReproducible() {
    String[] args = {"connect4", "analyze", "--position", "", "--simulations", "100", "--model",
        good.toString()};
    CliRun a = CliRun.of(args);
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("model " + good + " with PUCT"), a.out());
    assertEquals(a.out(), CliRun.of(args).out());
  }

  @Test
  void selfPlayPlaysWithTheModel() {
    CliRun run = CliRun.of("connect4", "selfplay", "--games", "2", "--simulations", "50", "--model",
        good.toString(), "--json");
    assertEquals(0, run.code(), run.err());
    assertEquals("", run.err());
    List<String> lines = run.lines();
    assertEquals(3, lines.size(), run.out());
    int total = 0;
    for (String key : new String[] {"first_player_wins", "second_player_wins", "draws"}) {
      total += Integer.parseInt(run.summaryValue(key));
    }
    assertEquals(2, total);
    assertFalse(lines.get(0).substring(lines.get(0).indexOf("\"moves\""))
        .equals(lines.get(1).substring(lines.get(1).indexOf("\"moves\""))),
        "root noise makes the games differ: " + lines);
  }

  @Test
  void playUsesTheModel() {
    CliRun run = CliRun.withInput("q\n", "connect4", "play", "--simulations", "50", "--model", good.toString(),
        "--json");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.lines().get(0).contains("\"by\":\"ponder\""), run.out());
  }

  @Test
  void wrongObservationSizeIsOneLine() {
    Path model = PolicyValueMlp.random(42, new int[] {16}, 7, 1).export(42).write(dir.resolve("flat.onnx"));
    assertModelError(CliRun.of("connect4", "analyze", "--position", "4453", "--simulations", "200", "--model",
        model.toString(), "--json"), "flat.onnx", "observation");
    assertModelError(CliRun.of("connect4", "selfplay", "--games", "1", "--simulations", "10", "--model",
        model.toString()), "flat.onnx", "observation");
  }

  @Test
  void sixPolicyOutputsIsOneLine() {
    Path model = PolicyValueMlp.random(84, new int[] {16}, 6, 1).export(2, 6, 7).write(dir.resolve("six.onnx"));
    assertModelError(CliRun.of("connect4", "analyze", "--position", "4453", "--simulations", "200", "--model",
        model.toString()), "six.onnx", "policy");
  }

  @Test
  void garbageFileIsOneLine() throws IOException {
    Path model = dir.resolve("garbage.onnx");
    byte[] bytes = new byte[4096];
    new SplittableRandom(7).nextBytes(bytes);
    Files.write(model, bytes);
    assertModelError(CliRun.of("connect4", "analyze", "--position", "4453", "--model", model.toString()),
        "garbage.onnx");
    Path text = Files.writeString(dir.resolve("text.onnx"), "this is not a model\n");
    assertModelError(CliRun.of("connect4", "selfplay", "--games", "1", "--simulations", "5", "--model",
        text.toString()), "text.onnx");
  }

  @Test
  void missingFileIsOneLine() {
    Path model = dir.resolve("missing.onnx");
    assertModelError(CliRun.of("connect4", "analyze", "--position", "4453", "--model", model.toString()),
        "missing.onnx");
    assertModelError(CliRun.of("connect4", "play", "--model", model.toString()), "missing.onnx");
    assertModelError(CliRun.of("connect4", "analyze", "--position", "4453", "--model", dir.toString()),
        dir.toString());
  }

  @Test
  void nanOutputsDuringTheSearchAreOneLine() {
    SplittableRandom random = new SplittableRandom(3);
    Dense trunk = Dense.random(84, 16, random);
    float[][] w = Dense.random(16, 7, random).weights();
    float[] bias = new float[7];
    bias[2] = Float.NaN;
    Path model = new PolicyValueMlp(List.of(trunk), new Dense(w, bias), Dense.random(16, 1, random))
        .export(2, 6, 7).write(dir.resolve("nan.onnx"));
    assertModelError(CliRun.of("connect4", "analyze", "--position", "4453", "--simulations", "200", "--model",
        model.toString(), "--json"), "nan.onnx", "NaN");
    assertModelError(CliRun.of("connect4", "selfplay", "--games", "2", "--simulations", "50", "--model",
        model.toString()), "nan.onnx", "NaN");
  }

  @Test
  void unboundedValueIsOneLine() {
    SplittableRandom random = new SplittableRandom(4);
    float[][] w = new float[1][16];
    Arrays.fill(w[0], 100f);
    Path model = new PolicyValueMlp(List.of(Dense.random(84, 16, random)), Dense.random(16, 7, random),
        new Dense(w, new float[] {50f})).export(2, 6, 7).tanhValue(false).write(dir.resolve("linear.onnx"));
    assertModelError(CliRun.of("connect4", "analyze", "--position", "4453", "--simulations", "50", "--model",
        model.toString()), "linear.onnx", "value");
  }

  @Test
  void theSetupClosesTheModel() {
    Connect4 game = new Connect4();
    SearchSetup<Connect4Position> setup = SearchSettings.connect4(game, Optional.of(good));
    Mcts<Connect4Position> mcts = new Mcts<>(game, setup.evaluator(), setup.config(0));
    assertEquals(20, mcts.search(Connect4Position.empty(), Budget.simulations(20)).stats().simulations());
    setup.close();
    setup.close();
    Mcts<Connect4Position> after = new Mcts<>(game, setup.evaluator(), setup.config(0));
    assertThrows(IllegalStateException.class,
        () -> after.search(Connect4Position.empty(), Budget.simulations(20)));
  }

  @Test
  void helpShowsTheModelOption() {
    for (String command : new String[] {"analyze", "selfplay", "play"}) {
      String help = Cli.usage("connect4", command).replaceAll("\\s+", " ");
      assertTrue(help.contains("--model=FILE.onnx"), help);
      assertTrue(help.contains("[N, 2, 6, 7]"), help);
    }
  }
}
