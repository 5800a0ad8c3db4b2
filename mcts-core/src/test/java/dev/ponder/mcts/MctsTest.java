package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ponder.mcts.select.FirstPlayUrgency;
import dev.ponder.mcts.select.Puct;
import dev.ponder.mcts.select.RootNoise;
import dev.ponder.mcts.select.Ucb1;
import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MctsTest {

  /**
   * Two-player race to 10: players alternately add 1 or 2; whoever reaches 10 wins. The player to move
   * loses exactly when the count is 1, 4 or 7 (a multiple of 3 away from 10).
   */
  record Race(int count, int player) {}

  static class RaceGame implements Environment<Race> {
    @Override
    public int actionCount() {
      return 2;
    }

    @Override
    public int legalActions(Race s, int[] out) {
      out[0] = 0;
      if (s.count() <= 8) {
        out[1] = 1;
        return 2;
      }
      return 1;
    }

    @Override
    public Transition<Race> step(Race s, int action) {
      int count = s.count() + action + 1;
      boolean won = count == 10;
      return new Transition<>(new Race(count, 1 - s.player()), won ? 1 : 0, won);
    }

    @Override
    public boolean isTerminal(Race s) {
      return s.count() == 10;
    }

    @Override
    public int players() {
      return 2;
    }

    @Override
    public int toPlay(Race s) {
      return s.player();
    }
  }

  private final RaceGame race = new RaceGame();

  @Test
  void findsTheWinningMoveOfATwoPlayerGame() {
    for (int count : new int[] {0, 2, 3, 5, 6, 8}) {
      int winning = (10 - count) % 3 == 1 ? 0 : 1; // leave the opponent a multiple of 3 away from 10
      Mcts<Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race), SearchConfig.builder()
          .selection(Ucb1.standard()).seed(count).build());
      SearchResult result = mcts.search(new Race(count, count % 2), Budget.simulations(3000));
      assertThat(result.action()).as("from %s", count).isEqualTo(winning);
      assertThat(result.value()).as("root value from %s", count).isGreaterThan(0.5);
    }
  }

  @Test
  void ucb1TriesEveryActionBeforeRepeatingOne() {
    Mcts<Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race), SearchConfig.builder()
        .selection(Ucb1.standard()).build());
    mcts.search(new Race(0, 0), Budget.simulations(3)); // root, then each child once
    TreeView tree = mcts.tree();
    assertThat(tree.visits(tree.child(0, 0))).isEqualTo(1);
    assertThat(tree.visits(tree.child(0, 1))).isEqualTo(1);
  }

  @Test
  void puctUsesAlphaZerosExplorationRate() {
    Puct puct = Puct.alphaZero();
    double n = 100;
    double expected = (1.25 + Math.log((n + 19652 + 1) / 19652)) * Math.sqrt(n);
    assertThat(puct.scale(100)).isCloseTo(expected, within(1e-12));
    assertThat(puct.score(0.5, 3, 0.2, 10)).isCloseTo(0.5 + 10 * 0.2 / 4, within(1e-12));
    assertThat(FirstPlayUrgency.parentMinus(0.25).of(0.5)).isEqualTo(0.25);
    assertThat(FirstPlayUrgency.absolute(-1).of(0.5)).isEqualTo(-1);
  }

  @Test
  void eachBudgetLimitStopsTheSearchAndIsReported() {
    Environment<Integer> tree = new GameTree(new GameTree.Shape(2, 5, 30, 0, 1));
    Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.uniform());
    assertThat(mcts.search(0, Budget.simulations(50)).stats().stopReason()).isEqualTo(StopReason.SIMULATIONS);
    SearchResult nodes = mcts.search(0, Budget.nodes(40));
    assertThat(nodes.stats().stopReason()).isEqualTo(StopReason.NODES);
    assertThat(nodes.stats().nodes()).isBetween(40L, 45L);
    SearchResult evaluations = mcts.search(0, Budget.evaluations(7).orSimulations(100));
    assertThat(evaluations.stats().stopReason()).isEqualTo(StopReason.EVALUATIONS);
    assertThat(evaluations.stats().evaluations()).isEqualTo(7);
    SearchResult timed = mcts.search(0, Budget.time(Duration.ofMillis(20)).orNodes(400));
    assertThat(timed.stats().stopReason()).isIn(StopReason.TIME, StopReason.NODES);
  }

  /**
   * A root with a winning terminal move and only bad other moves: the search keeps choosing the
   * terminal line, which adds no node, so a node budget alone is approached ever more slowly (found
   * by a held-out stress harness: a search that did not end in minutes). It now ends, with any number
   * of threads.
   */
  @Test
  void aNodeBudgetAloneEndsWhenTheSearchKeepsChoosingATerminalLine() {
    Environment<Integer> game = new Environment<>() {
      @Override
      public int actionCount() {
        return 2;
      }

      @Override
      public int legalActions(Integer depth, int[] out) {
        out[0] = 0;
        out[1] = 1;
        return 2;
      }

      @Override
      public Transition<Integer> step(Integer depth, int action) {
        boolean win = depth == 0 && action == 0;
        return new Transition<>(depth + 1, win ? 1 : 0, win);
      }

      @Override
      public boolean isTerminal(Integer depth) {
        return false; // the root is not; the winning move's state is reached through its Transition
      }

      @Override
      public int players() {
        return 2;
      }

      @Override
      public int toPlay(Integer depth) {
        return depth % 2;
      }
    };
    Evaluator<Integer> badForTheFirstPlayer = batch -> {
      for (int row = 0; row < batch.size(); row++) {
        batch.setValue(row, batch.player(row) == 1 ? 0.9 : -0.9);
      }
    };
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int threads : new int[] {1, 2}) {
        Mcts<Integer> mcts = new Mcts<>(game, badForTheFirstPlayer,
            SearchConfig.builder().threads(threads).leavesPerBatch(4).build());
        SearchResult result = mcts.search(0, Budget.nodes(50_000));
        assertThat(result.stats().stopReason()).isEqualTo(StopReason.EXHAUSTED);
        assertThat(result.stats().simulations()).isBetween(50_000 * Budget.SIMULATIONS_PER_LIMIT,
            50_000 * Budget.SIMULATIONS_PER_LIMIT + 64);
        assertThat(result.stats().nodes()).isLessThan(50_000);
        assertThat(result.action()).isEqualTo(0);
      }
    });
  }

  @Test
  void twoLimitsOfOneKindKeepTheTighter() {
    assertThat(Budget.simulations(100).orSimulations(1000)).isEqualTo(Budget.simulations(100));
    assertThat(Budget.simulations(1000).orSimulations(100)).isEqualTo(Budget.simulations(100));
    assertThat(Budget.nodes(50).orNodes(70).nodes()).isEqualTo(50);
    assertThat(Budget.evaluations(9).orEvaluations(3).evaluations()).isEqualTo(3);
    assertThat(Budget.time(Duration.ofSeconds(1)).orTime(Duration.ofSeconds(5)).time())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(Budget.simulations(10).orTime(Duration.ofSeconds(5)).orTime(Duration.ofMillis(5)).time())
        .isEqualTo(Duration.ofMillis(5));
    assertThatThrownBy(() -> Budget.simulations(10).orSimulations(0))
        .hasMessage("simulations budget must be positive, was 0");
    Mcts<Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race));
    assertThat(mcts.search(new Race(0, 0), Budget.simulations(100).orSimulations(1000)).stats().simulations())
        .isEqualTo(100);
  }

  @Test
  void aSearchStopsWhenEveryLineHasBeenPlayedToTheEnd() {
    Environment<Integer> small = new InvalidInputPropertiesTest.BrokenEnvironment(-1); // 63 inner nodes
    for (int leaves : new int[] {1, 8}) {
      Mcts<Integer> mcts = new Mcts<>(small, Evaluator.uniform(), SearchConfig.builder().leavesPerBatch(leaves)
          .build());
      SearchResult result = mcts.search(0, Budget.evaluations(1000));
      assertThat(result.stats().stopReason()).isEqualTo(StopReason.EXHAUSTED);
      assertThat(result.stats().evaluations()).isEqualTo(63);
      assertThat(result.stats().nodes()).isEqualTo(127);
      mcts.advance(0);
      assertThat(mcts.search(Budget.nodes(10_000)).stats().stopReason()).isEqualTo(StopReason.EXHAUSTED);
    }
  }

  @Test
  void anInterruptedSearchStopsKeepsTheFlagAndLeavesAConsistentTree() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 5, 30, 0, 2));
    Mcts<Integer> mcts = new Mcts<>(tree, Evaluator.uniform());
    Thread.currentThread().interrupt();
    try {
      SearchResult result = mcts.search(0, Budget.simulations(1_000_000));
      assertThat(result.stats().stopReason()).isEqualTo(StopReason.INTERRUPTED);
      assertThat(result.stats().simulations()).isEqualTo(1); // a search always runs one simulation
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    TreeInvariants.check(mcts.tree(), tree);
  }

  @Test
  void batchedSearchFillsBatchesAndCountsCollisions() {
    Environment<Integer> wide = new InvalidInputPropertiesTest.BrokenEnvironment(-1); // two actions, depth 6
    Mcts<Integer> mcts = new Mcts<>(wide, Evaluator.uniform(), SearchConfig.builder().leavesPerBatch(16).build());
    SearchResult result = mcts.search(0, Budget.evaluations(40));
    assertThat(result.stats().meanBatchSize()).isGreaterThan(4);
    TreeInvariants.check(mcts.tree(), wide);

    // Two leaves only: the third descent of a batch must collide.
    GameTree two = new GameTree(new GameTree.Shape(1, 2, 40, 0, 4));
    Mcts<Integer> narrow = new Mcts<>(two, Evaluator.uniform(), SearchConfig.builder().leavesPerBatch(8).build());
    SearchResult collided = narrow.search(0, Budget.simulations(100));
    assertThat(collided.stats().collisions()).isPositive();
    TreeInvariants.check(narrow.tree(), two);
  }

  @Test
  void rootNoiseChangesTheSearchButNotTheStoredPriors() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 5, 6, 0, 5));
    SearchConfig quiet = SearchConfig.builder().seed(9).build();
    Mcts<Integer> plain = new Mcts<>(tree, Evaluator.uniform(), quiet);
    Mcts<Integer> noisy = new Mcts<>(tree, Evaluator.uniform(),
        quiet.toBuilder().rootNoise(RootNoise.dirichlet(0.3)).build());
    SearchResult a = plain.search(0, Budget.simulations(200));
    SearchResult b = noisy.search(0, Budget.simulations(200));
    assertThat(b.policy()).isNotEqualTo(a.policy());
    for (ActionStats stats : b.actions()) {
      assertThat(stats.prior()).isCloseTo(1.0 / b.actions().size(), within(1e-6));
    }
  }

  @Test
  void temperatureSamplesAmongVisitedActionsAndZeroTakesTheMostVisited() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 5, 6, 0, 6));
    Set<Integer> sampled = new HashSet<>();
    Set<Integer> greedy = new HashSet<>();
    for (int seed = 0; seed < 40; seed++) {
      SearchConfig config = SearchConfig.builder().seed(seed).temperature(5).build();
      SearchResult hot = new Mcts<>(tree, Evaluator.randomRollout(tree), config).search(0, Budget.simulations(60));
      assertThat(hot.statsOf(hot.action()).visits()).isPositive();
      sampled.add(hot.action());
      SearchResult cold = new Mcts<>(tree, Evaluator.randomRollout(tree), config.toBuilder().temperature(0).build())
          .search(0, Budget.simulations(60));
      int most = cold.actions().maxBy(ActionStats::visits).visits();
      assertThat(cold.statsOf(cold.action()).visits()).isEqualTo(most);
      greedy.add(cold.action());
    }
    assertThat(sampled.size()).isGreaterThan(1);
  }

  @Test
  void aSearchContinuesOnTheTreeItKeeps() {
    Mcts<Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race));
    mcts.reset(new Race(0, 0));
    mcts.search(Budget.simulations(100));
    SearchResult more = mcts.search(Budget.simulations(50));
    assertThat(mcts.tree().visits(0)).isEqualTo(150);
    assertThat(more.stats().simulations()).isEqualTo(50);
    mcts.advance(more.action());
    mcts.advance(0); // the opponent's move, searched or not
    assertThat(mcts.rootState().count()).isEqualTo(more.action() + 2);
    TreeInvariants.check(mcts.tree(), race);
  }

  @Test
  void anAdvanceWhoseStepFailsLeavesTheTreeAsItWas() {
    boolean[] failing = {true};
    RaceGame flaky = new RaceGame() {
      @Override
      public Transition<Race> step(Race s, int action) {
        if (failing[0]) {
          throw new IllegalStateException("step failed");
        }
        return super.step(s, action);
      }
    };
    Mcts<Race> mcts = new Mcts<>(flaky, Evaluator.uniform()).reset(new Race(0, 0));
    assertThatThrownBy(() -> mcts.advance(1)).hasMessage("step failed"); // an unsearched root
    assertThat(mcts.tree().size()).isEqualTo(1);
    assertThat(mcts.tree().isExpanded(mcts.tree().root())).isFalse();
    failing[0] = false;
    mcts.search(Budget.simulations(1)); // expands the root only: its children have no state yet
    failing[0] = true;
    assertThatThrownBy(() -> mcts.advance(1)).hasMessage("step failed");
    assertThat(mcts.rootState()).isEqualTo(new Race(0, 0));
    TreeInvariants.check(mcts.tree(), flaky);
    failing[0] = false;
    mcts.advance(1);
    assertThat(mcts.rootState()).isEqualTo(new Race(2, 1));
    TreeInvariants.check(mcts.tree(), flaky);
  }

  @Test
  void priorsFromLogitsAreASoftmaxOverLegalActionsOnly() {
    EvaluationBatch<String> batch = new EvaluationBatch<>(4);
    java.util.SplittableRandom random = new java.util.SplittableRandom(0);
    int row = batch.add("s", 0, new int[] {1, 3}, 2, random);
    batch.setPriorLogits(row, new float[] {100f, 0f, 50f, (float) Math.log(3)}, 0);
    batch.setValue(row, 0.5);
    batch.checkAndNormalize("test");
    assertThat(batch.prior(row, 0)).isCloseTo(0.25f, within(1e-6f));
    assertThat(batch.prior(row, 1)).isCloseTo(0.75f, within(1e-6f));

    int masked = batch.add("t", 0, new int[] {0, 2}, 2, random);
    float ninf = Float.NEGATIVE_INFINITY;
    batch.setPriorLogits(masked, new float[] {ninf, 7f, ninf, 7f}, 0);
    batch.setValue(masked, 0);
    batch.checkAndNormalize("test");
    assertThat(batch.prior(masked, 0)).isEqualTo(0.5f); // every legal action at zero: uniform
  }

  @Test
  void priorsAtTheEndsOfTheFloatRangeNormaliseToProbabilities() {
    EvaluationBatch<String> batch = new EvaluationBatch<>(3);
    java.util.SplittableRandom random = new java.util.SplittableRandom(0);
    int tiny = batch.add("tiny", 0, new int[] {0, 1, 2}, 3, random); // 1 / sum overflows a float
    batch.setPrior(tiny, 0, Float.MIN_VALUE);
    batch.setPrior(tiny, 1, 0f);
    batch.setPrior(tiny, 2, 3 * Float.MIN_VALUE);
    batch.setValue(tiny, 0);
    int huge = batch.add("huge", 0, new int[] {0, 1}, 2, random); // their float sum overflows
    batch.setPrior(huge, 0, Float.MAX_VALUE);
    batch.setPrior(huge, 1, Float.MAX_VALUE);
    batch.setValue(huge, 0);
    batch.checkAndNormalize("test");
    assertThat(new float[] {batch.prior(tiny, 0), batch.prior(tiny, 1), batch.prior(tiny, 2)})
        .containsExactly(0.25f, 0f, 0.75f);
    assertThat(new float[] {batch.prior(huge, 0), batch.prior(huge, 1)}).containsExactly(0.5f, 0.5f);
  }

  @Test
  void theSoftmaxExponentialIsWithinTwoUlpOfMathExp() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < 1_000_000; i++) {
      float x = (float) (i % 2 == 0 ? -random.nextDouble() * 87.3 : -random.nextDouble() * 2);
      float expected = (float) Math.exp(x);
      float actual = EvaluationBatch.expOfNonPositive(x);
      assertThat(Math.abs(Float.floatToRawIntBits(actual) - Float.floatToRawIntBits(expected)))
          .as("ulp between e^%s: %s and %s", x, actual, expected)
          .isLessThanOrEqualTo(2);
    }
    assertThat(EvaluationBatch.expOfNonPositive(0f)).isEqualTo(1f);
    assertThat(EvaluationBatch.expOfNonPositive(-0f)).isEqualTo(1f);
    assertThat(EvaluationBatch.expOfNonPositive(-88f)).isEqualTo(0f);
    assertThat(EvaluationBatch.expOfNonPositive(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
  }

  @Test
  void configurationErrorsNameTheSetting() {
    assertThatThrownBy(() -> SearchConfig.builder().discount(1.5)).hasMessage("discount must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> SearchConfig.builder().leavesPerBatch(0))
        .hasMessage("leavesPerBatch must be at least 1, was 0");
    assertThatThrownBy(() -> SearchConfig.builder().temperature(-1))
        .hasMessage("temperature must be finite and non-negative, was -1.0");
    assertThatThrownBy(() -> new Puct(0, 1)).hasMessage("Puct.cInit must be positive, was 0.0");
    assertThatThrownBy(() -> new RootNoise(0.3, 2)).hasMessage("RootNoise.fraction must be in [0, 1], was 2.0");
    assertThatThrownBy(() -> new Transition<>("s", Double.NaN, false))
        .hasMessage("Transition.reward must be finite and at most 1.0E30 in magnitude, was NaN");
    assertThatThrownBy(() -> new Transition<>("s", -2e30, false))
        .hasMessage("Transition.reward must be finite and at most 1.0E30 in magnitude, was -2.0E30");
    assertThat(new Transition<>("s", -1e30, false).reward()).isEqualTo(-1e30);
    assertThatThrownBy(() -> new Mcts<>(race, Evaluator.uniform()).search(Budget.simulations(1)))
        .hasMessage("no root: call reset(rootState) first");
  }
}
