package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import dev.ponder.mcts.testkit.TreeSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Every kind of pool under random network delays (which shuffle the order in which its threads take
 * work) and failures injected in a random step of a random batch, for {@code ponder.stress.seconds}
 * (4 by default): a search that does not fail gives every tree exactly its lone result, one that fails
 * throws the injected failure, and either way every tree is left consistent, with no visit in flight,
 * and no call hangs. Sequential and overlapped pools never run two batches at once.
 */
class SearchPoolStressTest {

  @Test
  void randomDelaysAndFailuresNeverChangeAResultNorCorruptATree() {
    long seconds = Long.getLong("ponder.stress.seconds", 4);
    assertTimeoutPreemptively(Duration.ofSeconds(seconds + 60), () -> {
      SplittableRandom random = new SplittableRandom(7);
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      int searches = 0;
      int failed = 0;
      while (System.nanoTime() < end) {
        GameTree tree = new GameTree(new GameTree.Shape(2, 2 + random.nextInt(4), 4 + random.nextInt(6), 0.1,
            random.nextLong()));
        List<Integer> roots = SearchPoolTest.roots(tree, 1 + random.nextInt(12));
        SearchConfig config = SearchConfig.builder().leavesPerBatch(1 + random.nextInt(6))
            .solver(random.nextBoolean()).seed(random.nextLong()).build();
        Budget budget = Budget.simulations(20 + random.nextInt(200));
        Evaluator<Integer> good = SearchPoolTest.rolloutsWithPriors(tree);
        int maxDelay = 1 + random.nextInt(100_000);
        Evaluator<Integer> slow = batch -> {
          LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(maxDelay));
          good.evaluate(batch);
        };
        boolean mayFail = random.nextInt(3) == 0;
        StagedTestEvaluator.Step step = StagedTestEvaluator.Step.values()[random.nextInt(3)];
        StagedTestEvaluator<Integer> staged = mayFail
            ? StagedTestEvaluator.failing(slow, step, random.nextInt(8), random.nextBoolean()
                ? new IllegalStateException("injected") : new java.io.IOException("injected")) // checked, undeclared
            : StagedTestEvaluator.of(slow);
        int kind = random.nextInt(SearchPoolTest.POOL_KINDS);
        try (SearchPool<Integer> pool = SearchPoolTest.pool(kind, staged)) {
          List<Mcts<Integer>> trees = new ArrayList<>();
          for (int i = 0; i < roots.size(); i++) {
            trees.add(new Mcts<>(tree, good, config.toBuilder().seed(config.seed() + i).build())
                .reset(roots.get(i)));
          }
          try {
            List<SearchResult> results = pool.search(trees, budget);
            for (int i = 0; i < roots.size(); i++) {
              Mcts<Integer> alone = new Mcts<>(tree, good, config.toBuilder().seed(config.seed() + i).build());
              SearchResult expected = alone.search(roots.get(i), budget);
              assertThat(results.get(i).actions()).isEqualTo(expected.actions());
              assertThat(TreeSnapshot.of(trees.get(i).tree())).isEqualTo(TreeSnapshot.of(alone.tree()));
            }
          } catch (Exception e) { // IllegalStateException, or the checked IOException as it was thrown
            assertThat(mayFail).as("a search failed with %s", e).isTrue();
            assertThat(e).isInstanceOfAny(IllegalStateException.class, java.io.IOException.class)
                .hasMessage("injected");
            failed++;
          }
          for (Mcts<Integer> mcts : trees) {
            TreeInvariants.check(mcts.tree(), tree);
          }
          if (kind <= 1) { // sequential and overlapped: the network on one thread at a time
            assertThat(staged.mostRunsAtOnce()).isLessThanOrEqualTo(1);
          }
        }
        searches++;
      }
      assertThat(searches).isGreaterThan(20);
      assertThat(failed).as("pool searches that met an injected failure").isPositive();
    });
  }
}
