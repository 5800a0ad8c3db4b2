package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ponder.mcts.select.Puct;
import dev.ponder.mcts.select.RootNoise;
import dev.ponder.mcts.select.Ucb1;
import dev.ponder.mcts.testkit.ExactSolver;
import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import dev.ponder.mcts.testkit.TreeSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * Properties of the search over randomly generated game trees (one and two players, random branching,
 * depth, rewards and terminal states), each over {@code ponder.examples} cases (1,000 by default; the
 * {@code long-properties} Maven profile runs 100,000).
 */
class SearchPropertiesTest {

  private static final int EXAMPLES = Integer.getInteger("ponder.examples", 1000);

  private static QuickTheory theory() {
    return qt().withExamples(EXAMPLES).withFixedSeed(Long.getLong("ponder.seed", 20261123L));
  }

  /** Random trees: 1-2 players, 1-5 actions, depth 1-5, terminal chance 0-45%. */
  static Gen<GameTree> trees(int maxActions, int maxDepth) {
    return integers().between(1, 2).zip(integers().between(1, maxActions), integers().between(1, maxDepth),
        integers().between(0, 3), longs().all(),
        (players, actions, depth, terminal, seed) ->
            new GameTree(new GameTree.Shape(players, actions, depth, terminal * 0.15, seed)));
  }

  private static SearchConfig config(long seed, int leaves) {
    return SearchConfig.builder().seed(seed).leavesPerBatch(leaves).build();
  }

  @Test
  void visitsAddUpAndOnlyLegalActionsAreExpandedAtAnyDepth() {
    theory().forAll(trees(5, 5), integers().between(1, 400), integers().between(1, 16), longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.randomRollout(tree), config(seed, leaves));
          SearchResult result = mcts.search(tree.root(), Budget.simulations(simulations));
          // GameTree.step rejects illegal actions, so selecting one would have thrown already.
          TreeInvariants.check(mcts.tree(), tree);
          assertThat(result.stats().simulations()).isEqualTo((long) simulations);
          assertThat(tree.isLegal(0, result.action())).isTrue();
          for (int action : result.principalVariation().toArray()) {
            assertThat(action).isBetween(0, tree.actionCount() - 1);
          }
        });
  }

  @Test
  void everyValueIsFiniteAndWithinTheReturnsTheRewardsAllow() {
    theory().forAll(trees(5, 5), integers().between(1, 300), integers().between(1, 8), longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          double discount = Math.floorMod(seed, 2) == 0 ? 1.0 : 0.9;
          SearchConfig config = config(seed, leaves).toBuilder().discount(discount).build();
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.randomRollout(tree, 1, discount), config);
          SearchResult result = mcts.search(tree.root(), Budget.simulations(simulations));
          ExactSolver<Integer> exact = new ExactSolver<>(tree, discount);
          TreeInvariants.check(mcts.tree(), tree, exact::values);
          ExactSolver.Values root = exact.values(tree.root());
          double tolerance = 1e-6; // means are kept in single precision
          assertThat(result.value()).isBetween(root.lowest() - tolerance, root.highest() + tolerance);
          for (ActionStats a : result.actions()) {
            if (a.visits() > 0) {
              ExactSolver.Values q = exact.actionValues(tree.root(), a.action());
              assertThat(a.q()).isFinite().isBetween(q.lowest() - tolerance, q.highest() + tolerance);
            } else {
              assertThat(a.q()).isNaN();
            }
          }
        });
  }

  @Test
  void withEnoughSimulationsTheChosenActionIsOptimal() {
    // Small trees, rewards in steps of 0.5: a wrong choice costs at least 0.5 of exact value. UCB1's
    // constant is scaled to the range of returns, as its regret bound assumes returns in [0, 1].
    theory().forAll(trees(3, 3), integers().between(0, 1), longs().all())
        .checkAssert((tree, useUcb1, seed) -> {
          ExactSolver<Integer> exact = new ExactSolver<>(tree, 1.0);
          ExactSolver.Values root = exact.values(tree.root());
          double range = Math.max(1, root.highest() - root.lowest());
          SearchConfig config = SearchConfig.builder().seed(seed)
              .selection(useUcb1 == 1 ? new Ucb1(Math.sqrt(2) * range) : Puct.alphaZero()).build();
          Evaluator<Integer> evaluator = useUcb1 == 1 ? Evaluator.randomRollout(tree) : Evaluator.uniform();
          Mcts<Integer> mcts = new Mcts<>(tree, evaluator, config);
          SearchResult result = mcts.search(tree.root(), Budget.simulations(3000));
          double chosen = exact.actionValues(tree.root(), result.action()).value();
          assertThat(chosen).as("exact value of the chosen action %s in %s; best is %s; result %s",
              result.action(), tree, root.value(), result).isEqualTo(root.value());
        });
  }

  @Test
  void theSameSeedGivesTheSameTree() {
    theory().forAll(trees(5, 5), integers().between(1, 300), integers().between(1, 16), longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          SearchConfig config = config(seed, leaves).toBuilder().rootNoise(RootNoise.dirichlet(0.3))
              .temperature(1.0).build();
          Mcts<Integer> first = new Mcts<>(tree, Evaluator.randomRollout(tree), config);
          Mcts<Integer> second = new Mcts<>(tree, Evaluator.randomRollout(tree), config);
          SearchResult a = first.search(tree.root(), Budget.simulations(simulations));
          SearchResult b = second.search(tree.root(), Budget.simulations(simulations));
          assertThat(TreeSnapshot.of(second.tree())).isEqualTo(TreeSnapshot.of(first.tree()));
          assertThat(b).isEqualTo(a); // every field but the wall time, which equality leaves out
          assertThat(b.hashCode()).isEqualTo(a.hashCode());
        });
  }

  @Test
  void aStagedEvaluatorGivesExactlyTheTreeOfTheEvaluatorItStagesAloneAndPooled() {
    theory().forAll(trees(5, 5), integers().between(1, 300), integers().between(1, 16), longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          SearchConfig config = config(seed, leaves).toBuilder().rootNoise(RootNoise.dirichlet(0.3))
              .temperature(1.0).build();
          Evaluator<Integer> plain = SearchPoolTest.rolloutsWithPriors(tree);
          StagedEvaluator<Integer> staged = StagedTestEvaluator.of(plain);
          Budget budget = Budget.simulations(simulations);
          Mcts<Integer> reference = new Mcts<>(tree, plain, config);
          SearchResult expected = reference.search(tree.root(), budget);
          Mcts<Integer> alone = new Mcts<>(tree, staged, config); // encode, run, decode in turn
          assertThat(alone.search(tree.root(), budget).actions()).isEqualTo(expected.actions());
          assertThat(TreeSnapshot.of(alone.tree())).isEqualTo(TreeSnapshot.of(reference.tree()));
          try (SearchPool<Integer> pool = SearchPool.overlapped(staged)) {
            Mcts<Integer> pooled = new Mcts<>(tree, plain, config).reset(tree.root());
            assertThat(pool.search(List.of(pooled), budget).get(0).actions()).isEqualTo(expected.actions());
            assertThat(TreeSnapshot.of(pooled.tree())).isEqualTo(TreeSnapshot.of(reference.tree()));
            TreeInvariants.check(pooled.tree(), tree);
          }
        });
  }

  @Test
  void aReusedSubtreeKeepsExactlyTheStatisticsItWasSearchedWith() {
    theory().forAll(trees(5, 5), integers().between(1, 300), integers().between(1, 16), longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.randomRollout(tree), config(seed, leaves));
          SearchResult result = mcts.search(tree.root(), Budget.simulations(simulations));
          TreeView view = mcts.tree();
          int child = -1;
          for (int k = 0; k < view.childCount(view.root()); k++) {
            if (view.action(view.child(view.root(), k)) == result.action()) {
              child = view.child(view.root(), k);
            }
          }
          TreeSnapshot searched = TreeSnapshot.ofSubtree(view, child);
          mcts.advance(result.action());
          TreeSnapshot reused = TreeSnapshot.of(mcts.tree());
          assertThat(reused).isEqualTo(searched);
          assertThat(mcts.tree().size()).isEqualTo(reused.nodes().size());
          if (!tree.isTerminal(mcts.rootState())) {
            SearchResult next = mcts.search(Budget.simulations(simulations));
            TreeInvariants.check(mcts.tree(), tree);
            assertThat(mcts.tree().visits(mcts.tree().root()))
                .isEqualTo(searched.rootVisits() + (int) next.stats().simulations());
          }
        });
  }
}
