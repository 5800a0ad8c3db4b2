package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ponder.mcts.InvalidInputPropertiesTest.BrokenEnvironment;
import dev.ponder.mcts.select.Puct;
import dev.ponder.mcts.select.RootNoise;
import dev.ponder.mcts.select.Ucb1;
import dev.ponder.mcts.testkit.GameTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the public API, found by an audit written against it, gets an error that says what was
 * wrong, where, and what was expected, instead of an overflow, a bare index error or a misleading text.
 */
class BadInputTest {

  private final GameTree game = new GameTree(new GameTree.Shape(2, 3, 5, 0.2, 7));

  @Test
  void limitsBeyondWhatTheMachineCanHoldAreRefusedWhereTheyAreSet() {
    assertThatThrownBy(() -> Budget.time(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("time budget must be at most Long.MAX_VALUE nanoseconds");
    assertThatThrownBy(() -> SearchConfig.builder().threads(Integer.MAX_VALUE))
        .hasMessage("threads must be in [1, 1024], was 2147483647");
    assertThatThrownBy(() -> SearchPool.parallel(Evaluator.uniform(), Integer.MAX_VALUE))
        .hasMessage("threads must be in [1, 1024], was 2147483647");
    assertThatThrownBy(() -> new BatchingEvaluator<>(Evaluator.uniform(), 4, Duration.ofSeconds(Long.MAX_VALUE)))
        .hasMessageStartingWith("maxWait must be at most Long.MAX_VALUE nanoseconds");
    assertThatThrownBy(() -> new BatchingEvaluator<>(Evaluator.uniform(), 4, null))
        .isInstanceOf(NullPointerException.class).hasMessage("maxWait must not be null");
  }

  @Test
  void selectionRulesAndRootNoiseCheckTheirArguments() {
    assertThatThrownBy(() -> Puct.alphaZero().scale(0)).hasMessage("parentVisits must be at least 1, was 0");
    assertThatThrownBy(() -> Ucb1.standard().scale(-1)).hasMessage("parentVisits must be at least 1, was -1");
    RootNoise noise = RootNoise.dirichlet(0.3);
    double[] priors = {0.5, 0.5};
    assertThatThrownBy(() -> noise.apply(priors, 5, new SplittableRandom(1)))
        .hasMessage("n must be in [0, priors.length = 2], was 5");
    assertThat(priors).containsExactly(0.5, 0.5); // untouched
    assertThatThrownBy(() -> noise.apply(null, 1, new SplittableRandom(1))).hasMessage("priors must not be null");
    assertThatThrownBy(() -> noise.apply(priors, 2, null)).hasMessage("random must not be null");
  }

  @Test
  void logitsAreCheckedAsLogitsAndNamedWithTheirAction() {
    EvaluationBatch<Integer> batch = TestBatches.allLegal(3, List.of(0));
    assertThatThrownBy(() -> batch.setPriorLogits(0, new float[3], Integer.MAX_VALUE))
        .hasMessage("logits must hold 3 entries from offset 2147483647, length is 3");
    assertThatThrownBy(() -> batch.setPriorLogits(0, null, 0)).hasMessage("logits must not be null");
    Evaluator<Integer> nanLogit = b -> {
      for (int row = 0; row < b.size(); row++) {
        float[] logits = new float[b.actionCount()];
        logits[b.legalAction(row, b.legalCount(row) - 1)] = Float.NaN;
        b.setPriorLogits(row, logits, 0);
        b.setValue(row, 0);
      }
    };
    Mcts<Integer> mcts = new Mcts<>(game, nanLogit);
    assertThatThrownBy(() -> mcts.search(game.root(), Budget.simulations(10)))
        .isInstanceOf(InvalidEvaluationException.class)
        .hasMessageContaining("returned logit NaN for action " + lastLegalAction(game.root()) + " of batch row 0")
        .hasMessageContaining("logits must be finite");
  }

  private int lastLegalAction(int state) {
    int[] legal = new int[game.actionCount()];
    return legal[game.legalActions(state, legal) - 1];
  }

  @Test
  void aTreeWithoutARootSaysSoAndAnMctsCannotBeChangedByItsOwnEvaluator() {
    Mcts<Integer> empty = new Mcts<>(game, Evaluator.uniform());
    assertThatThrownBy(() -> empty.tree().visits(empty.tree().root()))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("it is empty (no root yet: call reset(rootState) first)");
    List<Mcts<Integer>> self = new ArrayList<>();
    Evaluator<Integer> meddling = b -> self.get(0).reset(game.root());
    self.add(new Mcts<>(game, meddling));
    assertThatThrownBy(() -> self.get(0).search(game.root(), Budget.simulations(5)))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("this Mcts is searching:")
        .hasMessageContaining("from its own evaluator");
  }

  @Test
  void rolloutsCheckTheEnvironmentTheyPlayAndTheBatchTheyAreGiven() {
    BrokenEnvironment noMoves = new BrokenEnvironment(1); // depth 1: no legal action, yet not terminal
    Mcts<Integer> mcts = new Mcts<>(noMoves, Evaluator.randomRollout(noMoves));
    assertThatThrownBy(() -> mcts.search(0, Budget.simulations(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BrokenEnvironment.legalActions returned 0 for state 1 in a random rollout, which the"
            + " environment reported as not terminal; expected 1 to 3");
    Mcts<Integer> other = new Mcts<>(game, Evaluator.randomRollout(noMoves)); // 3 actions against the game's
    if (game.actionCount() != noMoves.actionCount()) {
      assertThatThrownBy(() -> other.search(game.root(), Budget.simulations(10)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built for another environment");
    }
  }

  @Test
  void oneBatchingEvaluatorServesOneActionSpace() {
    try (BatchingEvaluator<Integer> batching = new BatchingEvaluator<>(Evaluator.uniform(), 8, Duration.ZERO)) {
      batching.evaluate(TestBatches.allLegal(3, List.of(0)));
      assertThatThrownBy(() -> batching.evaluate(TestBatches.allLegal(5, List.of(0))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the batch has 5 actions but BatchingEvaluator(")
          .hasMessageContaining("merges batches of 3");
    }
  }

  @Test
  void aPoolNamesTheSearchOrRootThatIsWrong() {
    try (SearchPool<Integer> pool = SearchPool.sequential(Evaluator.uniform())) {
      assertThatThrownBy(() -> pool.search(null, Budget.simulations(5)))
          .isInstanceOf(NullPointerException.class).hasMessage("searches must not be null");
      Mcts<Integer> good = new Mcts<>(game, Evaluator.uniform()).reset(game.root());
      List<Mcts<Integer>> withNull = new ArrayList<>(List.of(good));
      withNull.add(null);
      assertThatThrownBy(() -> pool.search(withNull, Budget.simulations(5))).hasMessage("search 1 is null");
      Mcts<Integer> rootless = new Mcts<>(game, Evaluator.uniform());
      assertThatThrownBy(() -> pool.search(List.of(good, rootless), Budget.simulations(5)))
          .isInstanceOf(IllegalStateException.class).hasMessage("search 1: no root: call reset(rootState) first");
      assertThatThrownBy(() -> pool.search(game, SearchConfig.defaults(), null, Budget.simulations(5)))
          .isInstanceOf(NullPointerException.class).hasMessage("roots must not be null");
      int terminal = 0;
      while (!game.isTerminal(terminal)) {
        terminal++;
      }
      List<Integer> roots = List.of(game.root(), game.root(), terminal);
      assertThatThrownBy(() -> pool.search(game, SearchConfig.defaults(), roots, Budget.simulations(5)))
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("root 2: the root state " + terminal);
      assertThatThrownBy(() -> pool.search(game, SearchConfig.defaults(), roots, Budget.simulations(5), 1))
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("root 2: the root state " + terminal);
    }
  }
}
