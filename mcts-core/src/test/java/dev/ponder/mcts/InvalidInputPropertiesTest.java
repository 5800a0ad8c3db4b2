package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import dev.ponder.mcts.testkit.TreeSnapshot;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;

/**
 * Every invalid input gets a clear error, at any point of a search, and leaves the tree as it was
 * before the failed batch, ready to search on.
 */
class InvalidInputPropertiesTest {

  private static final int EXAMPLES = Integer.getInteger("ponder.examples", 1000);

  private static QuickTheory theory() {
    return qt().withExamples(EXAMPLES).withFixedSeed(Long.getLong("ponder.seed", 7L));
  }

  /** What a faulty evaluator gets wrong. */
  enum Fault {
    NAN_VALUE("returned value NaN"),
    INFINITE_VALUE("returned value Infinity"),
    HUGE_VALUE("returned value -1.0E31"),
    NEGATIVE_PRIOR("returned prior -0.5"),
    NAN_PRIOR("returned prior NaN");

    final String message;

    Fault(String message) {
      this.message = message;
    }
  }

  /** Evaluates with rollouts, but gets one row of one call wrong while {@code armed}. */
  static final class FaultyEvaluator implements Evaluator<Integer> {
    final Evaluator<Integer> good;
    final int failingCall;
    final Fault fault;
    final long rowSeed;
    boolean armed = true;
    int calls;
    int failedRow = -1;

    FaultyEvaluator(GameTree tree, int failingCall, Fault fault, long rowSeed) {
      this.good = Evaluator.randomRollout(tree);
      this.failingCall = failingCall;
      this.fault = fault;
      this.rowSeed = rowSeed;
    }

    @Override
    public void evaluate(EvaluationBatch<Integer> batch) {
      good.evaluate(batch);
      if (armed && calls++ == failingCall) {
        int row = (int) Math.floorMod(rowSeed, batch.size());
        failedRow = row;
        switch (fault) {
          case NAN_VALUE -> batch.setValue(row, Double.NaN);
          case INFINITE_VALUE -> batch.setValue(row, Double.POSITIVE_INFINITY);
          case HUGE_VALUE -> batch.setValue(row, -1e31);
          case NEGATIVE_PRIOR -> batch.setPrior(row, batch.legalCount(row) - 1, -0.5f);
          case NAN_PRIOR -> batch.setPrior(row, 0, Float.NaN);
          default -> throw new AssertionError(fault);
        }
      }
    }

    @Override
    public String toString() {
      return "FaultyEvaluator";
    }
  }

  @Test
  void aBadEvaluationIsNamedAndLeavesTheTreeConsistent() {
    theory().forAll(SearchPropertiesTest.trees(5, 5), integers().between(0, 20), integers().between(0, Fault.values().length - 1),
            longs().all())
        .checkAssert((tree, failingCall, faultIndex, seed) -> {
          Fault fault = Fault.values()[faultIndex];
          FaultyEvaluator evaluator = new FaultyEvaluator(tree, failingCall, fault, seed);
          SearchConfig config = SearchConfig.builder().seed(seed).leavesPerBatch(1 + (int) Math.floorMod(seed, 8))
              .build();
          Mcts<Integer> mcts = new Mcts<>(tree, evaluator, config);
          mcts.reset(tree.root());
          int searches = 0;
          try {
            while (searches++ < 30) {
              mcts.search(Budget.simulations(10));
            }
            assertThat(evaluator.calls).isLessThanOrEqualTo(failingCall); // the tree was too small to fail
            return;
          } catch (InvalidEvaluationException e) {
            assertThat(e.getMessage()).contains("FaultyEvaluator", fault.message,
                "batch row " + evaluator.failedRow);
          }
          TreeInvariants.check(mcts.tree(), tree);
          TreeSnapshot before = TreeSnapshot.of(mcts.tree());
          evaluator.armed = false;
          SearchResult result = mcts.search(Budget.simulations(20));
          TreeInvariants.check(mcts.tree(), tree);
          assertThat(mcts.tree().visits(mcts.tree().root())).isEqualTo(before.rootVisits() + 20);
          assertThat(tree.isLegal(0, result.action())).isTrue();
        });
  }

  @Test
  void anEvaluatorThatWritesNoValueIsNamed() {
    Environment<Integer> tree = new GameTree(new GameTree.Shape(2, 3, 3, 0, 5));
    Evaluator<Integer> lazy = batch -> { };
    Mcts<Integer> mcts = new Mcts<>(tree, lazy);
    assertThatThrownBy(() -> mcts.search(0, Budget.simulations(5)))
        .isInstanceOf(InvalidEvaluationException.class)
        .hasMessageContaining("wrote no value for batch row 0");
    TreeInvariants.check(mcts.tree(), tree);
  }

  @Test
  void anEvaluatorThatThrowsLeavesNoVirtualLossBehind() {
    theory().forAll(SearchPropertiesTest.trees(5, 5), integers().between(0, 10), integers().between(2, 16),
            longs().all())
        .checkAssert((tree, failingCall, leaves, seed) -> {
          int[] calls = {0};
          Evaluator<Integer> rollouts = Evaluator.randomRollout(tree);
          Evaluator<Integer> failing = batch -> {
            if (calls[0]++ == failingCall) {
              throw new IllegalStateException("network down");
            }
            rollouts.evaluate(batch);
          };
          Mcts<Integer> mcts = new Mcts<>(tree, failing, SearchConfig.builder().seed(seed).leavesPerBatch(leaves)
              .build());
          try {
            mcts.search(tree.root(), Budget.simulations(200));
          } catch (IllegalStateException e) {
            assertThat(e).hasMessage("network down");
          }
          TreeInvariants.check(mcts.tree(), tree);
        });
  }

  @Test
  void budgetsOfZeroOrLessAreRejectedNamingTheLimit() {
    theory().forAll(longs().between(Long.MIN_VALUE, 0)).checkAssert(n -> {
      assertThatThrownBy(() -> Budget.simulations(n)).hasMessage("simulations budget must be positive, was " + n);
      assertThatThrownBy(() -> Budget.nodes(n)).hasMessage("nodes budget must be positive, was " + n);
      assertThatThrownBy(() -> Budget.evaluations(n)).hasMessage("evaluations budget must be positive, was " + n);
      assertThatThrownBy(() -> Budget.simulations(10).orNodes(n)).hasMessageContaining("nodes budget");
    });
    assertThatThrownBy(() -> Budget.time(Duration.ZERO)).hasMessage("time budget must be positive, was PT0S");
    assertThatThrownBy(() -> Budget.time(Duration.ofMillis(-1))).hasMessageContaining("time budget");
  }

  @Test
  void aTerminalRootIsRejected() {
    theory().forAll(SearchPropertiesTest.trees(4, 3), longs().all()).checkAssert((tree, seed) -> {
      int terminal = -1;
      for (int s = 0; s < tree.size() && terminal < 0; s++) {
        terminal = tree.isTerminal(s) ? s : -1;
      }
      int state = terminal;
      Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.uniform());
      assertThatThrownBy(() -> mcts.search(state, Budget.simulations(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("root state " + state + " is terminal");
      mcts.reset(state);
      assertThatThrownBy(() -> mcts.search(Budget.simulations(1)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("terminal");
      assertThatThrownBy(() -> mcts.advance(0)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("terminal");
    });
  }

  @Test
  void anActionOutsideTheMaskIsRejected() {
    theory().forAll(SearchPropertiesTest.trees(5, 4), integers().between(-3, 8), integers().between(0, 50))
        .checkAssert((tree, action, simulations) -> {
          Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.uniform()).reset(tree.root());
          if (simulations > 0) {
            mcts.search(Budget.simulations(simulations));
          }
          if (action < 0 || action >= tree.actionCount()) {
            assertThatThrownBy(() -> mcts.advance(action)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("action %d is outside the action space [0, %d)", action, tree.actionCount());
          } else if (!tree.isLegal(0, action)) {
            assertThatThrownBy(() -> mcts.advance(action)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("action " + action + " is not legal at the root");
          } else {
            mcts.advance(action);
            TreeInvariants.check(mcts.tree(), tree);
          }
        });
  }

  /** An environment whose legal actions are wrong in a given way, at a given depth. */
  static final class BrokenEnvironment implements Environment<Integer> {
    final int brokenDepth;
    final int[] wrong;

    BrokenEnvironment(int brokenDepth, int... wrong) {
      this.brokenDepth = brokenDepth;
      this.wrong = wrong;
    }

    @Override
    public int actionCount() {
      return 3;
    }

    @Override
    public int legalActions(Integer depth, int[] out) {
      if (depth == brokenDepth) {
        System.arraycopy(wrong, 0, out, 0, wrong.length);
        return wrong.length;
      }
      out[0] = 0;
      out[1] = 2;
      return 2;
    }

    @Override
    public Transition<Integer> step(Integer depth, int action) {
      return new Transition<>(depth + 1, 0, depth + 1 == 6);
    }

    @Override
    public boolean isTerminal(Integer depth) {
      return depth == 6;
    }
  }

  @Test
  void legalActionsOutsideTheSpaceRepeatedOrMissingAreRejected() {
    theory().forAll(integers().between(0, 5), integers().between(0, 2)).checkAssert((depth, kind) -> {
      int[] wrong = switch (kind) {
        case 0 -> new int[] {0, 3};
        case 1 -> new int[] {2, 2};
        default -> new int[0];
      };
      String expected = switch (kind) {
        case 0 -> "gave action 3 for state " + depth + ", outside the action space [0, 3)";
        case 1 -> "gave action 2 twice for state " + depth;
        default -> "returned 0 for state " + depth + ", which the environment reported as not terminal";
      };
      BrokenEnvironment env = new BrokenEnvironment(depth, wrong);
      Mcts<Integer> mcts = new Mcts<>(env, Evaluator.uniform());
      assertThatThrownBy(() -> mcts.search(0, Budget.simulations(1000)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("BrokenEnvironment.legalActions " + expected);
    });
  }
}
