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
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SearchPoolTest {

  private static final int EXAMPLES = Math.max(50, Integer.getInteger("ponder.examples", 1000) / 5);

  /** Sequential, overlapped, parallel with 2 threads, parallel with 3. */
  static final int POOL_KINDS = 4;

  static <S> SearchPool<S> pool(int kind, Evaluator<S> evaluator) {
    return switch (kind) {
      case 0 -> SearchPool.sequential(evaluator);
      case 1 -> SearchPool.overlapped(evaluator);
      default -> SearchPool.parallel(evaluator, kind);
    };
  }

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
          Budget budget = Budget.simulations(1 + Math.floorMod(seed, 150))
              .orNodes(1 + Math.floorMod(seed >> 16, 60));
          Evaluator<Integer> rollouts = rolloutsWithPriors(tree);
          // alone[run][i]: tree i searched alone, then reset and searched again
          List<List<TreeSnapshot>> alone = List.of(new ArrayList<>(), new ArrayList<>());
          List<List<SearchResult>> aloneResults = List.of(new ArrayList<>(), new ArrayList<>());
          for (int i = 0; i < roots.size(); i++) {
            Mcts<Integer> mcts = new Mcts<>(tree, rollouts, config.toBuilder().seed(seed + i).build());
            for (int run = 0; run < 2; run++) {
              aloneResults.get(run).add(mcts.search(roots.get(i), budget));
              alone.get(run).add(TreeSnapshot.of(mcts.tree()));
            }
          }
          // the plain evaluator, and the same staged (encode and decode on the caller, run apart)
          for (Evaluator<Integer> evaluator : List.of(rollouts, StagedTestEvaluator.of(rollouts))) {
            for (int kind = 0; kind < POOL_KINDS; kind++) {
              try (SearchPool<Integer> pool = pool(kind, evaluator)) {
                List<Mcts<Integer>> searches = new ArrayList<>();
                for (int i = 0; i < roots.size(); i++) {
                  searches.add(new Mcts<>(tree, evaluator, config.toBuilder().seed(seed + i).build()).reset(roots.get(i)));
                }
                for (int run = 0; run < 2; run++) { // the second time with the pool's stages reused
                  List<SearchResult> results = pool.search(searches, budget);
                  for (int i = 0; i < roots.size(); i++) {
                    assertThat(TreeSnapshot.of(searches.get(i).tree())).isEqualTo(alone.get(run).get(i));
                    assertThat(results.get(i).action()).isEqualTo(aloneResults.get(run).get(i).action());
                    assertThat(results.get(i).actions()).isEqualTo(aloneResults.get(run).get(i).actions());
                    TreeInvariants.check(searches.get(i).tree(), tree);
                    searches.get(i).reset(roots.get(i));
                  }
                }
              }
            }
          }
        });
  }

  @Test
  void withFewerTreesInFlightThanRootsEveryTreeStillEndsAsItWouldAlone() {
    qt().withExamples(EXAMPLES).withFixedSeed(Long.getLong("ponder.seed", 5L))
        .forAll(SearchPropertiesTest.trees(5, 6), integers().between(1, 12), integers().between(1, 5),
            longs().all())
        .checkAssert((tree, trees, inFlight, seed) -> {
          List<Integer> roots = roots(tree, trees);
          SearchConfig config = SearchConfig.builder().seed(seed).leavesPerBatch(1 + Math.floorMod(seed, 4))
              .rootNoise(RootNoise.dirichlet(0.5)).build();
          Budget budget = Budget.simulations(1 + Math.floorMod(seed >> 8, 120));
          Evaluator<Integer> rollouts = rolloutsWithPriors(tree);
          List<SearchResult> alone = new ArrayList<>();
          for (int i = 0; i < roots.size(); i++) {
            alone.add(new Mcts<>(tree, rollouts, config.toBuilder().seed(seed + i).build())
                .search(roots.get(i), budget));
          }
          for (int kind = 0; kind < POOL_KINDS; kind++) {
            try (SearchPool<Integer> pool = pool(kind, rollouts)) {
              List<SearchResult> results = pool.search(tree, config, roots, budget, inFlight);
              assertThat(results).hasSize(roots.size());
              for (int i = 0; i < roots.size(); i++) {
                SearchResult r = results.get(i);
                SearchResult a = alone.get(i);
                assertThat(r.action()).isEqualTo(a.action());
                assertThat(r.value()).isEqualTo(a.value());
                assertThat(r.actions()).isEqualTo(a.actions());
                assertThat(r.principalVariation()).isEqualTo(a.principalVariation());
                assertThat(r.stats().nodes()).isEqualTo(a.stats().nodes());
                assertThat(r.stats().simulations()).isEqualTo(a.stats().simulations());
              }
            }
          }
        });
  }

  @Test
  void treesInFlightMustBePositive() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 3, 3, 0, 1));
    try (SearchPool<Integer> pool = SearchPool.sequential(Evaluator.uniform())) {
      assertThatThrownBy(() -> pool.search(tree, SearchConfig.defaults(), roots(tree, 2), Budget.simulations(5), 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("treesInFlight must be at least 1, was 0");
    }
  }

  @Test
  void aSearchExpandsItsRootWhateverItsBudgetAndStopsAtOnceOnAKeptTreeOverIt() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 3, 4, 0, 11));
    for (int kind = -1; kind < POOL_KINDS; kind++) { // -1: alone
      try (SearchPool<Integer> pool = kind < 0 ? null : pool(kind, Evaluator.<Integer>uniform())) {
        List<Mcts<Integer>> searches = List.of(new Mcts<>(tree, Evaluator.<Integer>uniform()).reset(0),
            new Mcts<>(tree, Evaluator.<Integer>uniform()).reset(1));
        for (int round = 0; round < 2; round++) {
          List<SearchResult> results = pool == null
              ? List.of(searches.get(0).search(Budget.nodes(1)), searches.get(1).search(Budget.nodes(1)))
              : pool.search(searches, Budget.nodes(1));
          for (int i = 0; i < searches.size(); i++) {
            SearchResult r = results.get(i);
            String where = "pool kind " + kind + ", round " + round + ", tree " + i;
            assertThat(tree.isLegal(i, r.action())).as(where).isTrue();
            assertThat(r.stats().stopReason()).as(where).isEqualTo(StopReason.NODES);
            // the first round expands each root (one simulation), the second finds it over the limit
            assertThat(r.stats().simulations()).as(where).isEqualTo(round == 0 ? 1 : 0);
            TreeInvariants.check(searches.get(i).tree(), tree);
          }
        }
      }
    }
  }

  /**
   * Random rollouts for values, and priors that depend on the state and action, so that a search
   * shows whether priors reached it unchanged. Its randomness is the row's generator: reproducible.
   */
  static Evaluator<Integer> rolloutsWithPriors(GameTree tree) {
    Evaluator<Integer> rollouts = Evaluator.randomRollout(tree);
    return new Evaluator<>() {
      @Override
      public void evaluate(EvaluationBatch<Integer> batch) {
        rollouts.evaluate(batch);
        for (int row = 0; row < batch.size(); row++) {
          for (int k = 0; k < batch.legalCount(row); k++) {
            batch.setPrior(row, k, 1 + Math.floorMod(batch.state(row) * 31 + batch.legalAction(row, k), 5));
          }
        }
      }

      @Override
      public String toString() {
        return "RolloutsWithPriors";
      }
    };
  }

  @Test
  void anOverlappedPoolRunsTheNetworkOnOneThreadAtATimeAndReusesAndClosesOneStagePerGroup() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 4, 8, 0.1, 5));
    StagedTestEvaluator<Integer> staged = StagedTestEvaluator.of(rolloutsWithPriors(tree));
    SearchConfig config = SearchConfig.builder().leavesPerBatch(4).build();
    try (SearchPool<Integer> pool = SearchPool.overlapped(staged)) {
      for (int run = 0; run < 20; run++) {
        pool.search(tree, config, roots(tree, 30), Budget.simulations(100));
      }
      assertThat(staged.mostRunsAtOnce()).isEqualTo(1);
      assertThat(staged.runThreads()).isNotEmpty().allSatisfy(thread -> assertThat(
          thread == Thread.currentThread() || thread.getName().equals("ponder-evaluator")).isTrue());
      assertThat(staged.stagesMade()).isEqualTo(pool.groups()); // one per group, reused
      assertThat(staged.stagesOpen()).isEqualTo(pool.groups());
    }
    assertThat(staged.stagesOpen()).isZero();
    assertThat(staged.runThreads()).allSatisfy(thread -> assertThat(
        thread == Thread.currentThread() || !thread.isAlive()).isTrue()); // close() joined the pool's thread

    StagedTestEvaluator<Integer> inTurn = StagedTestEvaluator.of(rolloutsWithPriors(tree));
    try (SearchPool<Integer> pool = SearchPool.sequential(inTurn)) {
      pool.search(tree, config, roots(tree, 10), Budget.simulations(100));
      assertThat(inTurn.runThreads()).containsExactly(Thread.currentThread());
      assertThat(inTurn.stagesMade()).isEqualTo(1);
    }
    assertThat(inTurn.stagesOpen()).isZero();
  }

  /** The live threads named ponder-evaluator. */
  private static long evaluatorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("ponder-evaluator") && t.isAlive()).count();
  }

  @Test
  void closeStopsTheEvaluatorThreadAndAClosedPoolRefusesToSearch() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 3, 6, 0, 4));
    long before = evaluatorThreads();
    SearchPool<Integer> idle = SearchPool.overlapped(Evaluator.uniform());
    assertThat(evaluatorThreads()).isEqualTo(before + 1);
    idle.close(); // never searched
    assertThat(evaluatorThreads()).isEqualTo(before);

    SearchPool<Integer> used = SearchPool.overlapped(Evaluator.uniform());
    used.search(tree, SearchConfig.defaults(), roots(tree, 4), Budget.simulations(20));
    used.close(); // idle between searches
    used.close();
    assertThat(evaluatorThreads()).isEqualTo(before);
    assertThatThrownBy(() -> used.search(tree, SearchConfig.defaults(), roots(tree, 4), Budget.simulations(20)))
        .isInstanceOf(IllegalStateException.class).hasMessage("the search pool is closed");
  }

  @Test
  void closingThePoolDuringASearchFailsItCleanly() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 4, 8, 0.1, 9));
    Evaluator<Integer> good = rolloutsWithPriors(tree);
    @SuppressWarnings("unchecked")
    SearchPool<Integer>[] pool = new SearchPool[1];
    int[] runs = {0};
    StagedTestEvaluator<Integer> closing = StagedTestEvaluator.of(batch -> {
      if (runs[0]++ == 3) {
        pool[0].close(); // from the evaluator thread, in the middle of the search
      }
      good.evaluate(batch);
    });
    pool[0] = SearchPool.overlapped(closing);
    List<Mcts<Integer>> searches = new ArrayList<>();
    for (Integer root : roots(tree, 10)) {
      searches.add(new Mcts<>(tree, good, SearchConfig.builder().leavesPerBatch(4).build()).reset(root));
    }
    assertThatThrownBy(() -> pool[0].search(searches, Budget.simulations(200)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    for (Mcts<Integer> mcts : searches) {
      TreeInvariants.check(mcts.tree(), tree);
      mcts.search(Budget.simulations(10)); // released: searchable alone
    }
    assertThat(closing.stagesOpen()).isZero(); // the search closed them as it ended
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // else the search could run forever
  void interruptingTheCallerStopsEverySearchKeepsTheFlagAndLeavesEveryTreeConsistent() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 5, 10, 0.1, 11));
    Evaluator<Integer> slow = slowed(rolloutsWithPriors(tree), 100_000);
    SearchConfig config = SearchConfig.builder().leavesPerBatch(4).build();
    Budget endless = Budget.simulations(Integer.MAX_VALUE);
    for (Evaluator<Integer> evaluator : List.of(slow, StagedTestEvaluator.of(slow))) {
      for (int kind = 0; kind < POOL_KINDS; kind++) {
        try (SearchPool<Integer> pool = pool(kind, evaluator)) {
          for (boolean streamed : new boolean[] {false, true}) {
            List<Mcts<Integer>> searches = new ArrayList<>();
            for (Integer root : roots(tree, 12)) {
              searches.add(new Mcts<>(tree, Evaluator.uniform(), config).reset(root));
            }
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
              LockSupport.parkNanos(20_000_000);
              caller.interrupt();
            });
            interrupter.start();
            List<SearchResult> results = streamed
                ? pool.search(tree, config, roots(tree, 40), endless, 6)
                : pool.search(searches, endless);
            assertThat(Thread.interrupted()).as("pool kind %s: the flag is kept", kind).isTrue();
            awaitEnd(interrupter);
            assertThat(results).as("pool kind %s", kind).hasSize(streamed ? 40 : 12)
                .allSatisfy(r -> {
                  assertThat(r.stats().stopReason()).isEqualTo(StopReason.INTERRUPTED);
                  assertThat(r.actions()).extracting(ActionStats::action).contains(r.action()); // still a move
                });
            if (!streamed) {
              for (Mcts<Integer> mcts : searches) {
                TreeInvariants.check(mcts.tree(), tree);
              }
            }
            // the pool is usable again once the flag is cleared
            assertThat(pool.search(searches, Budget.simulations(20)))
                .allSatisfy(r -> assertThat(r.stats().stopReason()).isNotEqualTo(StopReason.INTERRUPTED));
          }
        }
      }
    }
  }

  /** {@code evaluator}, each call of which first sleeps {@code nanos}: a network's time. */
  private static <S> Evaluator<S> slowed(Evaluator<S> evaluator, long nanos) {
    return batch -> {
      LockSupport.parkNanos(nanos);
      evaluator.evaluate(batch);
    };
  }

  private static void awaitEnd(Thread thread) {
    while (true) {
      try {
        thread.join();
        return;
      } catch (InterruptedException e) {
        // the interrupter may still be about to interrupt: wait for it all the same
      }
    }
  }

  @Test
  void everyPoolAccountsItsSearchAndNetworkTime() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 4, 8, 0.1, 5));
    Evaluator<Integer> slow = slowed(rolloutsWithPriors(tree), 200_000);
    for (int kind = 0; kind < POOL_KINDS; kind++) {
      try (SearchPool<Integer> pool = pool(kind, slow)) {
        assertThat(pool.searchNanos()).isZero();
        assertThat(pool.networkNanos()).isZero();
        pool.search(tree, SearchConfig.builder().leavesPerBatch(4).build(), roots(tree, 10), Budget.simulations(100));
        assertThat(pool.networkNanos()).as("pool kind %s", kind)
            .isGreaterThanOrEqualTo(pool.evaluatorCalls() * 200_000);
        assertThat(pool.searchNanos()).as("pool kind %s", kind).isPositive();
      }
    }
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
      assertThat(pool.groups()).isEqualTo(2);
      assertThat((double) pool.evaluations() / pool.evaluatorCalls()).isGreaterThan(20);
    }
  }

  @Test
  void aFailureInAnyStepOfAStagedEvaluatorReachesTheCallerAndLeavesEveryTreeConsistent() {
    GameTree tree = new GameTree(new GameTree.Shape(2, 4, 8, 0.1, 9));
    List<Integer> roots = roots(tree, 10);
    Evaluator<Integer> good = rolloutsWithPriors(tree);
    for (StagedTestEvaluator.Step step : StagedTestEvaluator.Step.values()) {
      for (int failAt : new int[] {0, 1, 2, 5, 17}) {
        String message = step + " failed at batch " + failAt;
        // unchecked, an error, and a checked exception its interface does not declare (from Kotlin, say)
        for (Throwable failure : List.of(new IllegalStateException(message), new AssertionError(message),
            new java.io.IOException(message))) {
          for (int kind = 0; kind < POOL_KINDS; kind++) {
            StagedTestEvaluator<Integer> flaky = StagedTestEvaluator.failing(good, step, failAt, failure);
            try (SearchPool<Integer> pool = pool(kind, flaky)) {
              List<Mcts<Integer>> searches = new ArrayList<>();
              for (Integer root : roots) {
                searches.add(new Mcts<>(tree, good, SearchConfig.builder().leavesPerBatch(4).build()).reset(root));
              }
              assertThatThrownBy(() -> pool.search(searches, Budget.simulations(200))).isSameAs(failure);
              for (Mcts<Integer> mcts : searches) {
                TreeInvariants.check(mcts.tree(), tree);
              }
              // batch numbers go on: the failing one is behind, the stages are reused
              List<SearchResult> again = pool.search(searches, Budget.simulations(50));
              assertThat(again).allSatisfy(r -> assertThat(r.stats().simulations()).isEqualTo(50));
              for (Mcts<Integer> mcts : searches) {
                TreeInvariants.check(mcts.tree(), tree);
              }
            }
          }
        }
      }
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
