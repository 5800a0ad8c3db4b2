package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ponder.mcts.select.RootNoise;
import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import dev.ponder.mcts.testkit.TreeSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchPoolTest {

  private static final int EXAMPLES = Math.max(50, Integer.getInteger("ponder.examples", 1000) / 5);

  /** The non-terminal states of a tree, up to {@code n} of them: roots for many searches. */
  static List<Integer> roots(GameTree tree, int n) {
    List<Integer> roots = new ArrayList<>();
    for (int s = 0; s < tree.size() && roots.size() < n; s++) {
      if (!tree.isTerminal(s)) {
        roots.add(s);
      }
    }
    return roots;
  }

  @Test
  void everyTreeEndsExactlyAsItWouldAloneInEitherMode() {
    qt().withExamples(EXAMPLES).withFixedSeed(Long.getLong("ponder.seed", 3L))
        .forAll(SearchPropertiesTest.trees(5, 6), integers().between(1, 12), integers().between(1, 8),
            longs().all())
        .checkAssert((tree, trees, leaves, seed) -> {
          List<Integer> roots = roots(tree, trees);
          SearchConfig config = SearchConfig.builder().seed(seed).leavesPerBatch(leaves)
              .rootNoise(RootNoise.dirichlet(0.5)).temperature(1).build();
          Budget budget = Budget.simulations(1 + Math.floorMod(seed, 150));
          Evaluator<Integer> rollouts = Evaluator.randomRollout(tree);
          List<TreeSnapshot> alone = new ArrayList<>();
          List<SearchResult> aloneResults = new ArrayList<>();
          for (int i = 0; i < roots.size(); i++) {
            Mcts<Integer> mcts = new Mcts<>(tree, rollouts, config.toBuilder().seed(seed + i).build());
            aloneResults.add(mcts.search(roots.get(i), budget));
            alone.add(TreeSnapshot.of(mcts.tree()));
          }
          for (boolean overlap : new boolean[] {false, true}) {
            try (SearchPool<Integer> pool = overlap ? SearchPool.overlapped(rollouts) : SearchPool.sequential(rollouts)) {
              List<Mcts<Integer>> searches = new ArrayList<>();
              for (int i = 0; i < roots.size(); i++) {
                searches.add(new Mcts<>(tree, rollouts, config.toBuilder().seed(seed + i).build()).reset(roots.get(i)));
              }
              List<SearchResult> results = pool.search(searches, budget);
              for (int i = 0; i < roots.size(); i++) {
                assertThat(TreeSnapshot.of(searches.get(i).tree())).isEqualTo(alone.get(i));
                assertThat(results.get(i).action()).isEqualTo(aloneResults.get(i).action());
                assertThat(results.get(i).actions()).isEqualTo(aloneResults.get(i).actions());
                TreeInvariants.check(searches.get(i).tree(), tree);
              }
            }
          }
        });
  }

  @Test
  void theBatchSizeComesFromBreadth() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 5, 40, 0, 8));
    List<Integer> roots = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      roots.add(tree.root());
    }
    try (SearchPool<Integer> pool = SearchPool.overlapped(Evaluator.uniform())) {
      List<SearchResult> results = pool.search(tree, SearchConfig.defaults(), roots, Budget.simulations(100));
      assertThat(results).hasSize(64).allSatisfy(r -> assertThat(r.stats().simulations()).isEqualTo(100));
      // two groups of 32 trees, one leaf each per call
      assertThat((double) pool.evaluations() / pool.evaluatorCalls()).isGreaterThan(30);
    }
  }

  @Test
  void anEvaluatorFailureReachesTheCallerAndLeavesEveryTreeConsistent() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 4, 8, 0.1, 9));
    List<Integer> roots = roots(tree, 10);
    for (int failAt : new int[] {0, 1, 2, 5, 17}) {
      int[] calls = {0};
      Evaluator<Integer> good = Evaluator.randomRollout(tree);
      Evaluator<Integer> flaky = batch -> {
        if (calls[0]++ == failAt) {
          throw new IllegalStateException("evaluator down at call " + failAt);
        }
        good.evaluate(batch);
      };
      try (SearchPool<Integer> pool = SearchPool.overlapped(flaky)) {
        List<Mcts<Integer>> searches = new ArrayList<>();
        for (Integer root : roots) {
          searches.add(new Mcts<>(tree, flaky, SearchConfig.builder().leavesPerBatch(4).build()).reset(root));
        }
        assertThatThrownBy(() -> pool.search(searches, Budget.simulations(200)))
            .hasMessage("evaluator down at call " + failAt);
        for (Mcts<Integer> mcts : searches) {
          TreeInvariants.check(mcts.tree(), tree);
        }
        List<SearchResult> again = pool.search(searches, Budget.simulations(50)); // the evaluator works now
        assertThat(again).allSatisfy(r -> assertThat(r.stats().simulations()).isEqualTo(50));
        for (Mcts<Integer> mcts : searches) {
          TreeInvariants.check(mcts.tree(), tree);
        }
      }
    }
  }
}
