package dev.ponder.mcts.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.Transition;
import dev.ponder.mcts.select.Ucb1;
import dev.ponder.mcts.testkit.EnvironmentContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's code examples, compiled and run; the README must quote them exactly. */
class ReadmeExampleTest {

  // README-BEGIN puzzle
  /** Reach exactly 10 from 1 with "+1" (action 0) and "x2" (action 1) in at most 5 moves. */
  record Number(int value, int movesLeft) {}

  static final class Reach10 implements Environment<Number> {
    @Override public int actionCount() { return 2; }

    @Override public int legalActions(Number s, int[] out) {
      out[0] = 0;
      out[1] = 1;
      return 2;
    }

    @Override public Transition<Number> step(Number s, int action) {
      Number next = new Number(action == 0 ? s.value() + 1 : s.value() * 2, s.movesLeft() - 1);
      boolean solved = next.value() == 10;
      return new Transition<>(next, solved ? 1 : 0, isTerminal(next));
    }

    @Override public boolean isTerminal(Number s) { return s.value() == 10 || s.movesLeft() == 0; }
  }
  // README-END puzzle

  @Test
  void theSearchSolvesTheReadmePuzzle() {
    // README-BEGIN search
    Reach10 puzzle = new Reach10();
    Mcts<Number> mcts = new Mcts<>(puzzle, Evaluator.randomRollout(puzzle),
        SearchConfig.builder().selection(Ucb1.standard()).seed(42).build());
    SearchResult result = mcts.search(new Number(1, 5), Budget.simulations(2_000));
    System.out.println(result.principalVariation()); // the chain of steps it believes in
    // README-END search
    Number state = new Number(1, 5);
    for (int action : result.principalVariation().toArray()) {
      state = puzzle.step(state, action).state();
    }
    assertThat(state.value()).isEqualTo(10);
  }

  // README-BEGIN contract
  @Test
  void reach10KeepsTheEnvironmentContract() {
    EnvironmentContract.of(new Reach10(), List.of(new Number(1, 5))).checkAll();
  }
  // README-END contract

  @Test
  void theReadmeQuotesTheseExamplesExactly() throws IOException {
    Path root = Path.of(System.getProperty("ponder.projectRoot", ".."));
    String readme = Files.readString(root.resolve("README.md"));
    String source = Files.readString(root.resolve(
        "mcts-core/src/test/java/dev/ponder/mcts/readme/ReadmeExampleTest.java"));
    for (String name : List.of("puzzle", "search", "contract")) {
      String block = between(source, "// README-BEGIN " + name + "\n", "// README-END " + name);
      assertThat(readme).as("README.md quotes the '%s' example", name).contains(dedent(block));
    }
  }

  private static String between(String text, String begin, String end) {
    int from = text.indexOf(begin) + begin.length();
    return text.substring(from, text.indexOf(end, from));
  }

  /** The block without its common indentation and trailing blank space of the last line. */
  private static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }
}
