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
