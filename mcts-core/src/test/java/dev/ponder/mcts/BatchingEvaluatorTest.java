package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ponder.mcts.testkit.TreeInvariants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class BatchingEvaluatorTest {

  /** A pure function of the state: value and priors computed from the integer state. */
  static final Evaluator<Integer> ARITHMETIC = batch -> {
    for (int row = 0; row < batch.size(); row++) {
      int s = batch.state(row);
      batch.setValue(row, Math.floorMod(s, 201) / 100.0 - 1);
      for (int k = 0; k < batch.legalCount(row); k++) {
        batch.setPrior(row, k, 1 + Math.floorMod(s + batch.legalAction(row, k), 7));
      }
    }
  };

  private static EvaluationBatch<Integer> randomBatch(SplittableRandom random, int rows) {
    List<Integer> states = new ArrayList<>();
    int[][] legal = new int[rows][];
    for (int r = 0; r < rows; r++) {
      states.add(random.nextInt(100_000));
      legal[r] = random.ints(0, 5).distinct().limit(1 + random.nextInt(5)).toArray();
    }
    return TestBatches.of(5, states, legal);
  }

  @Test
  void everyThreadGetsExactlyTheAnswersOfItsOwnStates() throws Exception {
    int threads = 6;
    try (BatchingEvaluator<Integer> batching = new BatchingEvaluator<>(ARITHMETIC, 32, Duration.ofMillis(2))) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      java.util.concurrent.atomic.AtomicLong submitted = new java.util.concurrent.atomic.AtomicLong();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        futures.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          for (int i = 0; i < 300; i++) {
            EvaluationBatch<Integer> mine = randomBatch(random, 1 + random.nextInt(12));
            submitted.addAndGet(mine.size());
            EvaluationBatch<Integer> expected = TestBatches.of(5, statesOf(mine), legalOf(mine));
            batching.evaluate(mine);
            ARITHMETIC.evaluate(expected);
            for (int row = 0; row < mine.size(); row++) {
              assertThat(mine.value(row)).isEqualTo(expected.value(row));
              for (int k = 0; k < mine.legalCount(row); k++) {
                assertThat(mine.writtenPrior(row, k)).isEqualTo(expected.writtenPrior(row, k));
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      assertThat(batching.evaluations()).isEqualTo(submitted.get()); // each row evaluated once
      assertThat(batching.calls()).isLessThanOrEqualTo(threads * 300L);
    }
  }

  private static List<Integer> statesOf(EvaluationBatch<Integer> b) {
    List<Integer> states = new ArrayList<>();
    for (int r = 0; r < b.size(); r++) {
      states.add(b.state(r));
    }
    return states;
  }

  private static int[][] legalOf(EvaluationBatch<Integer> b) {
    int[][] legal = new int[b.size()][];
    for (int r = 0; r < b.size(); r++) {
      legal[r] = new int[b.legalCount(r)];
      for (int k = 0; k < legal[r].length; k++) {
        legal[r][k] = b.legalAction(r, k);
      }
    }
    return legal;
  }

  @Test
  void batchesOfSeveralThreadsAreMergedIntoOneCall() throws Exception {
    List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
    Evaluator<Integer> recording = batch -> {
      sizes.add(batch.size());
      ARITHMETIC.evaluate(batch);
    };
    // A call is made as soon as 4 x 8 states are queued; the long wait never runs out first.
    try (BatchingEvaluator<Integer> batching = new BatchingEvaluator<>(recording, 32, Duration.ofSeconds(30))) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        futures.add(pool.submit(() -> batching.evaluate(randomBatch(new SplittableRandom(seed), 8))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
    }
    assertThat(sizes).containsExactly(32);
  }

  @Test
  void aFailureReachesEveryThreadOfTheCallAndNobodyWaitsForever() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      AtomicInteger calls = new AtomicInteger();
      Evaluator<Integer> flaky = batch -> {
        LockSupport.parkNanos(50_000);
        if (calls.incrementAndGet() % 5 == 0) {
          throw new IllegalStateException("network down");
        }
        ARITHMETIC.evaluate(batch);
      };
      BatchingEvaluator<Integer> batching = new BatchingEvaluator<>(flaky, 16, Duration.ofMillis(1));
      int threads = 8;
      CountDownLatch started = new CountDownLatch(threads);
      AtomicInteger failures = new AtomicInteger();
      AtomicInteger refusals = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        futures.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          started.countDown();
          while (true) {
            try {
              batching.evaluate(randomBatch(random, 1 + random.nextInt(6)));
            } catch (IllegalStateException e) {
              if (e.getMessage().equals("network down")) {
                failures.incrementAndGet();
              } else {
                assertThat(e).hasMessageContaining("closed");
                refusals.incrementAndGet();
                return null;
              }
            }
          }
        }));
      }
      started.await();
      LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
      batching.close();
      for (Future<?> f : futures) {
        f.get(); // every thread got out
      }
      pool.shutdown();
      assertThat(failures.get()).isPositive();
      assertThat(refusals.get()).isEqualTo(threads);
      assertThatThrownBy(() -> batching.evaluate(randomBatch(new SplittableRandom(1), 2)))
          .hasMessageContaining("is closed");
    });
  }

  @Test
  void aCheckedExceptionFromTheDelegateReachesTheCallerAsThrownAndTheNextCallIsAnswered() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      java.io.IOException failure = new java.io.IOException("model file vanished");
      AtomicInteger calls = new AtomicInteger();
      Evaluator<Integer> flaky = batch -> {
        if (calls.incrementAndGet() == 1) {
          throw Sneaky.rethrow(failure); // as Kotlin code may: a checked exception nobody declared
        }
        ARITHMETIC.evaluate(batch);
      };
      try (BatchingEvaluator<Integer> batching = new BatchingEvaluator<>(flaky, 4, Duration.ZERO)) {
        assertThatThrownBy(() -> batching.evaluate(randomBatch(new SplittableRandom(1), 2))).isSameAs(failure);
        EvaluationBatch<Integer> batch = randomBatch(new SplittableRandom(2), 3);
        batching.evaluate(batch); // the dispatcher is still there
        batch.checkAndNormalize(batching);
        assertThat(batching.calls()).isEqualTo(2);
      }
    });
  }

  /** Closed while its dispatcher waits for a batch to fill: no call of the delegate, no dying thread. */
  @Test
  void closingWhileTheDispatcherWaitsForMoreCallsNothingAndFailsTheWaitingBatch() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (boolean earlierCall : new boolean[] {false, true}) {
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        Evaluator<Integer> counting = batch -> {
          sizes.add(batch.size());
          ARITHMETIC.evaluate(batch);
        };
        BatchingEvaluator<Integer> batching = new BatchingEvaluator<>(counting, 2, Duration.ofSeconds(30));
        if (earlierCall) {
          batching.evaluate(randomBatch(new SplittableRandom(3), 2)); // full at once: one call
        }
        java.util.concurrent.atomic.AtomicReference<Throwable> seen =
            new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiting = new Thread(() -> {
          try {
            batching.evaluate(randomBatch(new SplittableRandom(4), 1)); // waits up to 30 s for company
          } catch (Throwable e) {
            seen.set(e);
          }
        });
        waiting.start();
        while (waiting.getState() != Thread.State.WAITING) { // its batch is queued
          Thread.onSpinWait();
        }
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the dispatcher is in its wait
        batching.close();
        waiting.join();
        assertThat(seen.get()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("was closed before evaluating");
        assertThat(sizes).containsExactlyElementsOf(earlierCall ? List.of(2) : List.of());
        assertThat(batching.calls()).isEqualTo(earlierCall ? 1 : 0);
      }
    });
  }

  @Test
  void aThreadedSearchThroughOneBatchingEvaluatorKeepsItsTreeConsistent() {
    ThreadedSearchStressTest.HashGame game = new ThreadedSearchStressTest.HashGame();
    Evaluator<Long> network = batch -> {
      LockSupport.parkNanos(100_000); // one network call, whatever the batch size
      for (int row = 0; row < batch.size(); row++) {
        batch.setValue(row, Math.floorMod(batch.state(row), 3) - 1);
      }
    };
    try (BatchingEvaluator<Long> batching = new BatchingEvaluator<>(network, 64, Duration.ofMillis(1))) {
      Mcts<Long> mcts = new Mcts<>(game, batching, SearchConfig.builder().threads(4).leavesPerBatch(8).build());
      SearchResult result = mcts.search(0L, Budget.simulations(3000));
      assertThat(result.stats().simulations()).isEqualTo(3000);
      TreeInvariants.check(mcts.tree(), game);
      assertThat((double) batching.evaluations() / batching.calls()).isGreaterThan(8);
    }
  }
}
