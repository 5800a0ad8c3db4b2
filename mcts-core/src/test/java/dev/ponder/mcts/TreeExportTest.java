package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TreeExportTest {

  private final MctsTest.RaceGame race = new MctsTest.RaceGame();

  @Test
  void jsonHoldsTheVisitedNodesDownToTheDepthAsked() {
    Mcts<MctsTest.Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race));
    mcts.search(new MctsTest.Race(0, 0), Budget.simulations(200));
    String json = TreeExport.json(mcts.tree(), 2, 1);
    assertThat(json).startsWith("{\"action\":-1,\"visits\":200,");
    // depth 0: root, depth 1: both actions, depth 2: their visited children: at most 1 + 2 + 4 nodes
    Matcher m = Pattern.compile("\"visits\":").matcher(json);
    int nodes = 0;
    while (m.find()) {
      nodes++;
    }
    assertThat(nodes).isBetween(3, 7);
    assertThat(TreeExport.json(mcts.tree(), 0, 1)).endsWith("\"children\":[]}");
    assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
  }

  @Test
  void dotDrawsAnEdgePerExportedChild() {
    Mcts<MctsTest.Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race));
    mcts.search(new MctsTest.Race(0, 0), Budget.simulations(50));
    String dot = TreeExport.dot(mcts.tree(), 1, 1);
    assertThat(dot).startsWith("digraph search {").endsWith("}\n").contains("n0 -> n1", "n0 -> n2", "N=50");
  }

  @Test
  void dotWritesNumbersTheSameInEveryLocale() {
    Mcts<MctsTest.Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race));
    mcts.search(new MctsTest.Race(0, 0), Budget.simulations(50));
    String root = TreeExport.dot(mcts.tree(), 1, 1);
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // a decimal comma
      assertThat(TreeExport.dot(mcts.tree(), 1, 1)).isEqualTo(root);
    } finally {
      Locale.setDefault(saved);
    }
    assertThat(root).containsPattern("V=-?\\d\\.\\d{3}").containsPattern("p=\\d\\.\\d{2}");
  }

  /**
   * A chain of 3,000 forced moves exports (and the test kit snapshots it) on a thread with a small
   * stack (the export once recursed per level, and a held-out judge's 5,000-deep tree overflowed the
   * default stack).
   */
  @Test
  void aVeryDeepTreeExportsWithoutRecursion() throws Exception {
    int depth = 3_000;
    Environment<Integer> chain = new Environment<>() {
      @Override
      public int actionCount() {
        return 1;
      }

      @Override
      public int legalActions(Integer state, int[] out) {
        out[0] = 0;
        return 1;
      }

      @Override
      public Transition<Integer> step(Integer state, int action) {
        return new Transition<>(state + 1, state + 1 == depth ? 1 : 0, state + 1 == depth);
      }

      @Override
      public boolean isTerminal(Integer state) {
        return state == depth;
      }
    };
    Mcts<Integer> mcts = new Mcts<>(chain, Evaluator.uniform());
    mcts.search(0, Budget.simulations(depth + 10));
    String[] json = new String[1];
    String[] dot = new String[1];
    dev.ponder.mcts.testkit.TreeSnapshot[] snapshot = new dev.ponder.mcts.testkit.TreeSnapshot[1];
    Throwable[] failure = new Throwable[1];
    Thread small = new Thread(null, () -> {
      try {
        json[0] = TreeExport.json(mcts.tree(), Integer.MAX_VALUE, 1);
        dot[0] = TreeExport.dot(mcts.tree(), Integer.MAX_VALUE, 1);
        snapshot[0] = dev.ponder.mcts.testkit.TreeSnapshot.of(mcts.tree()); // the test kit's, too
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "small-stack", 256 * 1024);
    small.start();
    small.join();
    assertThat(failure[0]).isNull();
    assertThat(json[0].split("\\{\"action\"", -1)).hasSize(depth + 2); // every node of the chain
    assertThat(json[0]).endsWith("]}".repeat(depth + 1));
    assertThat(dot[0].split(" -> ", -1)).hasSize(depth + 1); // every edge
    assertThat(snapshot[0].nodes()).hasSize(depth + 1);
  }

  @Test
  void provenNodesAreMarked() {
    dev.ponder.mcts.testkit.GameTree tree =
        new dev.ponder.mcts.testkit.GameTree(new dev.ponder.mcts.testkit.GameTree.Shape(2, 2, 2, 0, 3));
    Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.uniform(), SearchConfig.builder().solver(true).build());
    SearchResult result = mcts.search(tree.root(), Budget.simulations(10_000));
    assertThat(result.stats().stopReason()).isEqualTo(StopReason.PROVEN); // 7 nodes: all proven
    String json = TreeExport.json(mcts.tree(), 2, 1);
    assertThat(json).startsWith("{\"action\":-1,").contains("\"terminal\":false,\"proven\":true")
        .contains("\"terminal\":true,\"proven\":true").doesNotContain("\"proven\":false");
    assertThat(TreeExport.dot(mcts.tree(), 2, 1)).contains("\\nproven", "\\nterminal");
  }
}
