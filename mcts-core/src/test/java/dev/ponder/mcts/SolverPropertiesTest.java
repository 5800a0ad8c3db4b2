package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ponder.mcts.testkit.ExactSolver;
import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import dev.ponder.mcts.testkit.TreeSnapshot;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;

/**
 * The solver ({@link SearchConfig#solver()}) against exhaustive search on random game trees: every
 * value it proves is the exact game value, a proven root stops the search with an optimal action, and
 * it changes nothing about determinism. Each property runs {@code ponder.examples} cases.
 */
class SolverPropertiesTest {

  private static final int EXAMPLES = Integer.getInteger("ponder.examples", 1000);
  private static final int BUDGET = 100_000;
  private static final double TOLERANCE = 1e-5; // exact values are stored in single precision

  private static QuickTheory theory() {
    return qt().withExamples(EXAMPLES).withFixedSeed(Long.getLong("ponder.seed", 20261124L));
  }

  /**
   * The best return any player can get from any state of the tree: a valid {@code maxReturn}. In a
   * zero-sum game the player not to move gets the negated returns, so the lowest counts too.
   */
  private static double maxReturn(GameTree tree, ExactSolver<Integer> exact) {
    double max = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < tree.size(); s++) {
      if (!tree.isTerminal(s)) {
        ExactSolver.Values v = exact.values(s);
        max = Math.max(max, tree.players() == 2 ? Math.max(v.highest(), -v.lowest()) : v.highest());
      }
    }
    return max;
  }

  /** The solver with a known {@code maxReturn}, no discount. */
  private static SearchConfig solving(GameTree tree, ExactSolver<Integer> exact, long seed, int leaves) {
    return SearchConfig.builder().seed(seed).leavesPerBatch(leaves).solver(true)
        .maxReturn(maxReturn(tree, exact)).build();
  }

  /** Calls {@code visit} with every node of the tree and its parent (-1 for the root). */
  private static void forEachNode(TreeView view, BiConsumer<Integer, Integer> visit) {
    int[] stack = new int[Math.max(16, view.size())];
    int[] parents = new int[stack.length];
    int top = 0;
    stack[top] = view.root();
    parents[top++] = -1;
    while (top > 0) {
      int node = stack[--top];
      visit.accept(node, parents[top]);
      for (int k = 0; k < view.childCount(node); k++) {
        stack[top] = view.child(node, k);
        parents[top++] = node;
      }
    }
  }

  /** Checks every proven node of the tree against the exact values. */
  private static void checkProofs(TreeView view, ExactSolver<Integer> exact) {
    forEachNode(view, (node, parent) -> {
      if (!view.isProven(node)) {
        return;
      }
      int state = (Integer) view.state(node);
      assertThat(view.value(node)).as("value of proven node %s (state %s)", node, state)
          .isCloseTo(exact.values(state).value(), offset(TOLERANCE));
      if (parent >= 0) {
        double q = exact.actionValues((Integer) view.state(parent), view.action(node)).value();
        assertThat(view.q(node)).as("Q of proven node %s (state %s)", node, state)
            .isCloseTo(q, offset(TOLERANCE));
      }
    });
  }

  private static boolean isProvenLoss(TreeView view, int action, double maxReturn) {
    for (int k = 0; k < view.childCount(view.root()); k++) {
      int child = view.child(view.root(), k);
      if (view.action(child) == action) {
        return view.isProven(child) && view.q(child) <= -maxReturn;
      }
    }
    throw new AssertionError("no root child for action " + action);
  }

  private static boolean allProvenLosses(TreeView view, double maxReturn) {
    for (int k = 0; k < view.childCount(view.root()); k++) {
      int child = view.child(view.root(), k);
      if (!view.isProven(child) || view.q(child) > -maxReturn) {
        return false;
      }
    }
    return true;
  }

  @Test
  void everyProvenValueIsTheExactGameValue() {
    // simulationsAndVariant: simulations 1 to 600 times 8 variants (discount, known maxReturn, threads)
    theory().forAll(SearchPropertiesTest.trees(5, 5), integers().between(0, 4799), integers().between(1, 8),
            longs().all())
        .checkAssert((tree, simulationsAndVariant, leaves, seed) -> {
          int simulations = 1 + simulationsAndVariant / 8;
          int variant = simulationsAndVariant % 8;
          double discount = (variant & 1) == 0 ? 1.0 : 0.9;
          ExactSolver<Integer> exact = new ExactSolver<>(tree, discount);
          double maxReturn = (variant & 2) == 0 ? Double.POSITIVE_INFINITY : maxReturn(tree, exact);
          int threads = (variant & 4) == 0 ? 1 : 2;
          SearchConfig config = SearchConfig.builder().seed(seed).leavesPerBatch(leaves).discount(discount)
              .threads(threads).solver(true).maxReturn(maxReturn).build();
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.randomRollout(tree, 1, discount), config);
          SearchResult result = mcts.search(tree.root(), Budget.simulations(simulations));
          TreeInvariants.check(mcts.tree(), tree, exact::values);
          checkProofs(mcts.tree(), exact);
          if (tree.players() == 2 && maxReturn < Double.POSITIVE_INFINITY) {
            assertThat(isProvenLoss(mcts.tree(), result.action(), maxReturn)
                    && !allProvenLosses(mcts.tree(), maxReturn))
                .as("chose action %s, a proven loss, over a move not proven lost", result.action()).isFalse();
          }
          if (mcts.tree().isProven(mcts.tree().root())) {
            assertThat(result.stats().stopReason()).isEqualTo(StopReason.PROVEN);
            assertThat(result.value()).isCloseTo(exact.values(tree.root()).value(),
                offset(TOLERANCE));
            assertThat(exact.actionValues(tree.root(), result.action()).value())
                .as("exact value of the chosen action %s", result.action())
                .isCloseTo(exact.values(tree.root()).value(), offset(TOLERANCE));
          }
        });
  }

  @Test
  void withEnoughSimulationsTheSolverProvesTheRootAndPlaysAnOptimalAction() {
    theory().forAll(SearchPropertiesTest.trees(3, 3), integers().between(0, 1), longs().all())
        .checkAssert((tree, knownMax, seed) -> {
          ExactSolver<Integer> exact = new ExactSolver<>(tree, 1.0);
          SearchConfig config = SearchConfig.builder().seed(seed).solver(true)
              .maxReturn(knownMax == 1 ? maxReturn(tree, exact) : Double.POSITIVE_INFINITY).build();
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.uniform(), config);
          SearchResult result = mcts.search(tree.root(), Budget.simulations(BUDGET));
          assertThat(result.stats().stopReason()).as("%s", tree).isEqualTo(StopReason.PROVEN);
          assertThat(result.stats().simulations()).isLessThan(BUDGET);
          double best = exact.values(tree.root()).value();
          assertThat(result.value()).isCloseTo(best, offset(TOLERANCE));
          assertThat(exact.actionValues(tree.root(), result.action()).value())
              .isCloseTo(best, offset(TOLERANCE));
          int[] pv = result.principalVariation().toArray();
          assertThat(pv).isNotEmpty();
          assertThat(pv[0]).isEqualTo(result.action());
          // Searching the proven root again does nothing and gives the same answer.
          SearchResult again = mcts.search(Budget.simulations(100));
          assertThat(again.stats().simulations()).isZero();
          assertThat(again.stats().stopReason()).isEqualTo(StopReason.PROVEN);
          assertThat(again.action()).isEqualTo(result.action());
        });
  }

  /**
   * A two-player game where the likely move A looks fine for about a thousand visits, until the
   * opponent's unlikely reply A1 (an immediate win) is tried; B, an unlikely move, starts a line of 5,000
   * forced moves to a draw, too long to be proven by the search. States: 0 root (player 0): A -> 1,
   * B -> 100; 1 (player 1): A2 -> 3, A1 -> 4 (a win for player 1); 3 -> 4 (a draw); 100 to 5099: the
   * forced line, to 5100 (a draw).
   */
  private static final class Trap implements Environment<Integer> {
    @Override
    public int actionCount() {
      return 2;
    }

    @Override
    public int legalActions(Integer state, int[] out) {
      out[0] = 0;
      out[1] = 1;
      return state <= 1 ? 2 : 1;
    }

    @Override
    public Transition<Integer> step(Integer state, int action) {
      return switch (state) {
        case 0 -> new Transition<>(action == 0 ? 1 : 100, 0, false);
        case 1 -> action == 0 ? new Transition<>(3, 0, false) : new Transition<>(4, 1, true);
        case 3 -> new Transition<>(4, 0, true);
        default -> new Transition<>(state + 1, 0, state + 1 == 5100);
      };
    }

    @Override
    public boolean isTerminal(Integer state) {
      return state == 4 || state == 5100;
    }

    @Override
    public int players() {
      return 2;
    }

    @Override
    public int toPlay(Integer state) {
      return state == 1 || (state >= 100 && state % 2 == 0) ? 1 : 0;
    }
  }

  @Test
  void aMoveProvenLostIsNotPlayedThoughMostVisited() {
    Evaluator<Integer> evaluator = batch -> {
      for (int row = 0; row < batch.size(); row++) {
        batch.setValue(row, 0);
        for (int k = 0; k < batch.legalCount(row); k++) {
          float unlikely = batch.state(row) == 1 ? 0.001f : 0.1f;
          batch.setPrior(row, k, batch.legalAction(row, k) == 0 ? 1 - unlikely : unlikely);
        }
      }
    };
    SearchConfig config = SearchConfig.builder().solver(true).maxReturn(1).build();
    Mcts<Integer> mcts = new Mcts<>(new Trap(), evaluator, config);
    SearchResult result = mcts.search(0, Budget.simulations(1500));
    ActionStats a = result.actions().get(0);
    ActionStats b = result.actions().get(1);
    assertThat(a.q()).as("A is proven lost").isEqualTo(-1);
    assertThat(a.visits()).as("A was searched most before it was proven lost").isGreaterThan(b.visits());
    assertThat(mcts.tree().isProven(mcts.tree().root())).isFalse();
    assertThat(result.action()).isEqualTo(1);
    assertThat(result.principalVariation().get(0)).isEqualTo(1);
  }

  @Test
  void proofsSurviveTreeReuseAndStayExact() {
    theory().forAll(SearchPropertiesTest.trees(4, 6), integers().between(1, 300), integers().between(1, 4),
            longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          ExactSolver<Integer> exact = new ExactSolver<>(tree, 1.0);
          SearchConfig config = solving(tree, exact, seed, leaves);
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.randomRollout(tree), config);
          SearchResult result = mcts.search(tree.root(), Budget.simulations(simulations));
          int state = tree.root();
          for (int move = 0; move < 3; move++) {
            Transition<Integer> next = tree.step(state, result.action());
            if (next.terminal()) {
              break;
            }
            mcts.advance(result.action()); // keeps the subtree, its proofs included
            state = next.state();
            checkProofs(mcts.tree(), exact);
            TreeInvariants.check(mcts.tree(), tree, exact::values);
            result = mcts.search(Budget.simulations(simulations));
            checkProofs(mcts.tree(), exact);
            if (mcts.tree().isProven(mcts.tree().root())) {
              assertThat(result.stats().stopReason()).isEqualTo(StopReason.PROVEN);
              assertThat(exact.actionValues(state, result.action()).value())
                  .isCloseTo(exact.values(state).value(), offset(TOLERANCE));
            }
          }
        });
  }

  @Test
  void withoutTheSolverOnlyTerminalStatesAreProven() {
    theory().forAll(SearchPropertiesTest.trees(5, 5), integers().between(1, 400), integers().between(1, 8),
            longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          SearchConfig config = SearchConfig.builder().seed(seed).leavesPerBatch(leaves).build();
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.randomRollout(tree), config);
          mcts.search(tree.root(), Budget.simulations(simulations));
          TreeView view = mcts.tree();
          forEachNode(view, (node, parent) ->
              assertThat(view.isProven(node)).as("node %s", node).isEqualTo(view.isTerminal(node)));
        });
  }

  @Test
  void theSolverKeepsPooledSearchesExactlyAsAlone() {
    theory().forAll(SearchPropertiesTest.trees(5, 5), integers().between(1, 300), integers().between(1, 8),
            longs().all())
        .checkAssert((tree, simulations, leaves, seed) -> {
          ExactSolver<Integer> exact = new ExactSolver<>(tree, 1.0);
          SearchConfig config = solving(tree, exact, seed, leaves);
          Evaluator<Integer> plain = SearchPoolTest.rolloutsWithPriors(tree);
          Budget budget = Budget.simulations(simulations);
          Mcts<Integer> reference = new Mcts<>(tree, plain, config);
          SearchResult expected = reference.search(tree.root(), budget);
          try (SearchPool<Integer> pool = SearchPool.overlapped(StagedTestEvaluator.of(plain))) {
            Mcts<Integer> pooled = new Mcts<>(tree, plain, config).reset(tree.root());
            SearchResult actual = pool.search(List.of(pooled), budget).get(0);
            assertThat(actual.actions()).isEqualTo(expected.actions());
            assertThat(actual.action()).isEqualTo(expected.action());
            assertThat(actual.stats().stopReason()).isEqualTo(expected.stats().stopReason());
            assertThat(TreeSnapshot.of(pooled.tree())).isEqualTo(TreeSnapshot.of(reference.tree()));
          }
        });
  }
}
