package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ponder.mcts.testkit.TreeInvariants;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Several threads searching one tree, with an evaluator that sleeps a random while and sometimes fails:
 * after every search, failed or not, no visit is lost or counted twice, no virtual loss is left behind,
 * and nobody is left waiting. Bounded: {@code ponder.stress.seconds} (default 8) of searching.
 */
class ThreadedSearchStressTest {

  /** A deep game, branching 6, whose states are path hashes; rewards at the end from the hash. */
  static final class HashGame implements Environment<Long> {
    static final int DEPTH = 14;

    @Override
    public int actionCount() {
      return 6;
    }

    @Override
    public int legalActions(Long state, int[] out) {
      int n = 2 + (int) Math.floorMod(state >>> 7, 5L); // 2 to 6 actions
      for (int k = 0; k < n; k++) {
        out[k] = k;
      }
      return n;
    }

    @Override
    public Transition<Long> step(Long state, int action) {
      long next = (state * 31 + action + 1) * 0x9E3779B97F4A7C15L;
      next = (next & ~0xFL) | (depth(state) + 1);
      boolean end = depth(next) == DEPTH;
      double reward = end ? (Math.floorMod(next >>> 11, 3L) - 1) : 0;
      return new Transition<>(next, reward, end);
    }

    static long depth(long state) {
      return state & 0xF;
    }

    @Override
    public boolean isTerminal(Long state) {
      return depth(state) == DEPTH;
    }

    @Override
    public int players() {
      return 2;
    }

    @Override
    public int toPlay(Long state) {
      return (int) (depth(state) % 2);
    }
  }

  /** The hash game with a hook around each of its steps and legal-actions calls. */
  abstract static class HookedHashGame implements Environment<Long> {
    final HashGame game = new HashGame();

    /** Makes {@code call} (on {@code state}) and returns what it returns. */
    abstract <T> T around(Long state, Supplier<T> call);

    @Override
    public int actionCount() {
      return game.actionCount();
    }

    @Override
    public int legalActions(Long state, int[] out) {
      return around(state, () -> game.legalActions(state, out));
    }

    @Override
    public Transition<Long> step(Long state, int action) {
      return around(state, () -> game.step(state, action));
    }

    @Override
    public boolean isTerminal(Long state) {
      return game.isTerminal(state);
    }

    @Override
    public int players() {
      return game.players();
    }

    @Override
    public int toPlay(Long state) {
      return game.toPlay(state);
    }
  }

  /**
   * The hash game, whose calls sometimes take a while and sometimes fail (never at the root, so that
   * a reset to it succeeds): the environment of a threaded search runs outside the tree's lock, so
   * its failures must leave the tree as the evaluator's do.
   */
  static final class FlakyHashGame extends HookedHashGame {
    static final String MESSAGE = "injected environment failure";

    @Override
    <T> T around(Long state, Supplier<T> call) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      if (r.nextInt(8) == 0) {
        LockSupport.parkNanos(r.nextInt(20_000)); // a step that proposes or looks something up
      }
      if (state != 0L && r.nextInt(4000) == 0) {
        throw r.nextBoolean() ? new IllegalStateException(MESSAGE) : Sneaky.rethrow(new java.io.IOException(MESSAGE));
      }
      return call.get();
    }
  }

  @Test
  void manyThreadsRandomDelaysAndFailuresNeverCorruptTheTree() {
    long seconds = Long.getLong("ponder.stress.seconds", 8);
    HashGame game = new HashGame();
    FlakyHashGame flakyGame = new FlakyHashGame();
    AtomicLong calls = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Evaluator<Long> uniform = Evaluator.uniform();
    Evaluator<Long> flaky = batch -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      calls.incrementAndGet();
      LockSupport.parkNanos(r.nextInt(200_000)); // up to 0.2 ms, like a network call
      if (r.nextInt(150) == 0) {
        failures.incrementAndGet();
        String message = "injected evaluator failure";
        // unchecked, or checked and undeclared (as Kotlin code may throw)
        throw r.nextBoolean() ? new IllegalStateException(message) : Sneaky.rethrow(new java.io.IOException(message));
      }
      uniform.evaluate(batch);
    };
    assertTimeoutPreemptively(Duration.ofSeconds(seconds + 60), () -> {
      SplittableRandom random = new SplittableRandom(1);
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      int searches = 0;
      int failed = 0;
      int failedInStep = 0;
      while (System.nanoTime() < end) {
        int threads = 2 + random.nextInt(7);
        int leaves = 1 + random.nextInt(8);
        Mcts<Long> mcts = new Mcts<>(flakyGame, flaky, SearchConfig.builder().threads(threads)
            .leavesPerBatch(leaves).solver(random.nextBoolean()).maxReturn(1).build());
        mcts.reset(0L);
        int rootVisits = 0;
        for (int round = 0; round < 5; round++) {
          try {
            SearchResult result = mcts.search(Budget.simulations(200 + random.nextInt(400)));
            rootVisits += (int) result.stats().simulations();
            assertThat(mcts.tree().visits(0)).isEqualTo(rootVisits);
          } catch (Exception e) { // IllegalStateException, or the checked IOException as it was thrown
            assertThat(e).isInstanceOfAny(IllegalStateException.class, java.io.IOException.class);
            assertThat(e.getMessage()).isIn("injected evaluator failure", FlakyHashGame.MESSAGE);
            failed++;
            failedInStep += e.getMessage().equals(FlakyHashGame.MESSAGE) ? 1 : 0;
            rootVisits = mcts.tree().visits(0); // the completed simulations of the failed search count
          }
          TreeInvariants.check(mcts.tree(), game);
          searches++;
        }
      }
      assertThat(searches).isGreaterThan(10);
      assertThat(failed).as("searches that met an injected failure").isPositive();
      assertThat(failedInStep).as("searches that met an injected environment failure").isPositive();
    });
  }

  /**
   * The lock of a threaded search covers the tree's updates only: two threads step the environment,
   * or ask it for legal actions, at the same time (a step that waits for a language model would
   * otherwise hold up every other thread). Each call (but from the root) waits, for a while, for
   * another to be inside too.
   */
  @Test
  void threadsStepTheEnvironmentAtTheSameTime() {
    HashGame game = new HashGame();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Environment<Long> meeting = new HookedHashGame() {
      @Override
      <T> T around(Long state, Supplier<T> call) {
        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
          // not from the root: the calling thread expands it alone, before the others start
          while (state != 0L && most.get() < 2 && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(100_000);
          }
          return call.get();
        } finally {
          inside.decrementAndGet();
        }
      }
    };
    Mcts<Long> mcts = new Mcts<>(meeting, Evaluator.uniform(), SearchConfig.builder().threads(2).build());
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> mcts.search(0L, Budget.simulations(200)));
    assertThat(most.get()).as("environment calls under way at once").isEqualTo(2);
    TreeInvariants.check(mcts.tree(), game);
  }

  @Test
  void threadsFindTheSameWinningMoveAsOneThread() {
    MctsTest.RaceGame race = new MctsTest.RaceGame();
    for (int count : new int[] {0, 2, 3, 5}) {
      int winning = (10 - count) % 3 == 1 ? 0 : 1;
      Mcts<MctsTest.Race> mcts = new Mcts<>(race, Evaluator.randomRollout(race), SearchConfig.builder()
          .selection(dev.ponder.mcts.select.Ucb1.standard()).threads(4).leavesPerBatch(2).build());
      SearchResult result = mcts.search(new MctsTest.Race(count, 0), Budget.simulations(4000));
      assertThat(result.action()).as("from %s", count).isEqualTo(winning);
      assertThat(result.stats().simulations()).isEqualTo(4000);
      TreeInvariants.check(mcts.tree(), race);
    }
  }

  @Test
  void anInterruptedThreadedSearchStopsAndKeepsTheFlag() {
    HashGame game = new HashGame();
    Evaluator<Long> slow = batch -> {
      LockSupport.parkNanos(100_000);
      for (int row = 0; row < batch.size(); row++) {
        batch.setValue(row, 0);
      }
    };
    Mcts<Long> mcts = new Mcts<>(game, slow, SearchConfig.builder().threads(4).build());
    Thread.currentThread().interrupt();
    try {
      SearchResult result = mcts.search(0L, Budget.simulations(1_000_000));
      assertThat(result.stats().stopReason()).isEqualTo(StopReason.INTERRUPTED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    TreeInvariants.check(mcts.tree(), game);
  }

  @Test
  void aSecondSearchOfTheSameTreeFromAnotherThreadFailsAtOnceAndHarmsNothing() throws Exception {
    HashGame game = new HashGame();
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Evaluator<Long> blocking = batch -> {
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int row = 0; row < batch.size(); row++) {
        batch.setValue(row, 0);
      }
    };
    Mcts<Long> mcts = new Mcts<>(game, blocking).reset(0L);
    Thread first = new Thread(() -> mcts.search(Budget.simulations(5)));
    first.start();
    inside.await();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> mcts.search(Budget.simulations(5)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already searching");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> mcts.advance(0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("this Mcts is searching");
    try (SearchPool<Long> pool = SearchPool.sequential(Evaluator.uniform())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.search(java.util.List.of(mcts),
          Budget.simulations(5))).hasMessageContaining("already searching");
    }
    release.countDown();
    first.join();
    assertThat(mcts.tree().visits(0)).isEqualTo(5);
    TreeInvariants.check(mcts.tree(), game);
    assertThat(mcts.search(Budget.simulations(5)).stats().simulations()).isEqualTo(5); // free again
  }

  /**
   * Alone or with threads, whatever the evaluator throws (a checked exception too, as Kotlin code may):
   * the caller gets it as thrown, no thread is left waiting, no virtual loss is left behind, and the
   * tree is free for the next search.
   */
  @Test
  void aFailedSearchFreesTheTreeForTheNextOne() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), this::failOnceAloneAndWithThreads);
  }

  /**
   * A threaded search counts as evaluations the rows its evaluator was given, and no more: leaves that
   * turn out terminal once stepped (here most of them) are backed up without an evaluation.
   */
  @Test
  void evaluationsAreTheRowsTheEvaluatorSaw() {
    Environment<Long> shallow = new HookedHashGame() {
      @Override
      <T> T around(Long state, Supplier<T> call) {
        return call.get();
      }

      @Override
      public Transition<Long> step(Long state, int action) {
        Transition<Long> t = game.step(state, action);
        return isTerminal(t.state()) ? new Transition<>(t.state(), t.reward(), true) : t;
      }

      @Override
      public boolean isTerminal(Long state) { // half the states at depth 2, all at depth 3
        long depth = HashGame.depth(state);
        return depth == 3 || depth == 2 && (state >>> 20 & 1) == 0;
      }
    };
    for (int threads : new int[] {1, 3}) {
      AtomicLong rows = new AtomicLong();
      AtomicLong calls = new AtomicLong();
      Evaluator<Long> counting = batch -> {
        rows.addAndGet(batch.size());
        calls.incrementAndGet();
        Evaluator.<Long>uniform().evaluate(batch);
      };
      Mcts<Long> mcts = new Mcts<>(shallow, counting,
          SearchConfig.builder().threads(threads).leavesPerBatch(4).build());
      SearchResult result = mcts.search(0L, Budget.simulations(500));
      assertThat(result.stats().evaluations()).as("threads %s", threads).isEqualTo(rows.get());
      assertThat(result.stats().evaluatorCalls()).as("threads %s", threads).isEqualTo(calls.get());
      assertThat(result.stats().simulations()).isGreaterThan(rows.get() + 100); // many terminal descents
    }
  }

  /** A line of states, one action each, that never ends; each step waits {@code stepNanos}. */
  static final class SlowLine implements Environment<Long> {
    private final long stepNanos;

    SlowLine(long stepNanos) {
      this.stepNanos = stepNanos;
    }

    @Override
    public int actionCount() {
      return 1;
    }

    @Override
    public int legalActions(Long state, int[] out) {
      out[0] = 0;
      return 1;
    }

    @Override
    public Transition<Long> step(Long state, int action) {
      LockSupport.parkNanos(stepNanos);
      return new Transition<>(state + 1, 0.0, false);
    }

    @Override
    public boolean isTerminal(Long state) {
      return false;
    }
  }

  /**
   * A thread whose every descent meets a leaf another thread is stepping waits for the tree to change
   * instead of descending again and again: in a line only one leaf can be claimed at a time, so three
   * of four threads wait through every 2 ms step. Spinning, they collided hundreds of times a step.
   */
  @Test
  void threadsThatFindNoLeafWaitInsteadOfSpinning() {
    Mcts<Long> mcts = new Mcts<>(new SlowLine(2_000_000), Evaluator.uniform(),
        SearchConfig.builder().threads(4).build());
    SearchResult result = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> mcts.search(0L, Budget.simulations(100)));
    assertThat(result.stats().simulations()).isEqualTo(100);
    // each step: at most a wake-up per other change and per 1 ms of waiting, for each of 3 threads
    assertThat(result.stats().collisions()).isLessThan(30L * result.stats().simulations());
    TreeInvariants.check(mcts.tree(), new SlowLine(0));
  }

  /**
   * An interrupted threaded search stops, and its caller waits for the other threads' evaluations
   * without spinning on its interrupt flag (join clears it; setting it again made the next join throw
   * at once), while the other threads still see the interruption and start no new batch.
   */
  @Test
  void anInterruptedCallerWaitsForTheOtherThreadsWithoutSpinning() throws Exception {
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    AtomicInteger helperCalls = new AtomicInteger();
    Evaluator<Long> slowOnHelpers = batch -> {
      if (Thread.currentThread().getName().startsWith("ponder-search-")) {
        helperCalls.incrementAndGet();
        LockSupport.parkNanos(300_000_000L);
      }
      Evaluator.<Long>uniform().evaluate(batch);
    };
    HashGame game = new HashGame();
    new Mcts<>(game, Evaluator.uniform(), SearchConfig.builder().threads(2).build())
        .search(0L, Budget.simulations(50)); // warm-up: classes loaded, code compiled
    Mcts<Long> mcts = new Mcts<>(game, slowOnHelpers, SearchConfig.builder().threads(2).build());
    Thread caller = Thread.currentThread();
    AtomicLong cpuAtInterrupt = new AtomicLong();
    Thread interrupter = new Thread(() -> {
      while (helperCalls.get() == 0) {
        Thread.onSpinWait();
      }
      LockSupport.parkNanos(20_000_000L);
      cpuAtInterrupt.set(cpu.getThreadCpuTime(caller.getId()));
      caller.interrupt();
    });
    interrupter.start();
    try {
      SearchResult result = mcts.search(0L, Budget.simulations(1_000_000_000));
      long cpuAfter = cpu.getCurrentThreadCpuTime() - cpuAtInterrupt.get();
      assertThat(result.stats().stopReason()).isEqualTo(StopReason.INTERRUPTED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(helperCalls.get()).as("helper batches: none begun after the interrupt").isEqualTo(1);
      assertThat(cpuAfter).as("caller CPU nanos while the helper's 280 ms call ends").isLessThan(100_000_000L);
    } finally {
      Thread.interrupted();
      interrupter.join();
    }
    TreeInvariants.check(mcts.tree(), game);
  }

  /**
   * A helper thread that cannot be started (a thread limit, no memory for its stack) fails the search
   * with that error, after the helpers already started have stopped: none of them touches the tree
   * after the search returns, and the tree is free and consistent for the next search.
   */
  @Test
  void aHelperThatCannotStartFailsTheSearchAfterTheOthersStopped() {
    HashGame game = new HashGame();
    AtomicLong lastEvaluationEnd = new AtomicLong();
    Evaluator<Long> slow = batch -> {
      LockSupport.parkNanos(20_000_000L);
      Evaluator.<Long>uniform().evaluate(batch);
      lastEvaluationEnd.accumulateAndGet(System.nanoTime(), Math::max);
    };
    Mcts<Long> mcts = new Mcts<>(game, slow, SearchConfig.builder().threads(4).build());
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread: possibly out of memory");
    AtomicInteger made = new AtomicInteger();
    java.util.function.BiFunction<Runnable, String, Thread> saved = HelperThreads.threads;
    HelperThreads.threads = (task, name) -> {
      if (made.incrementAndGet() == 3) {
        throw noThread;
      }
      return new Thread(task, name);
    };
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
          org.assertj.core.api.Assertions.assertThatThrownBy(() -> mcts.search(0L, Budget.simulations(1_000_000_000)))
              .isSameAs(noThread));
    } finally {
      HelperThreads.threads = saved;
    }
    long failedAt = System.nanoTime();
    LockSupport.parkNanos(60_000_000L);
    assertThat(lastEvaluationEnd.get()).as("an evaluation ended after the search failed").isLessThan(failedAt);
    TreeInvariants.check(mcts.tree(), game);
    assertThat(mcts.search(Budget.simulations(5)).stats().simulations()).isEqualTo(5);
  }

  /** The same when the environment's step throws: a threaded search steps it outside the tree's lock. */
  @Test
  void aFailedStepFreesTheTreeForTheNextOne() {
    HashGame game = new HashGame();
    for (int threads : new int[] {1, 4}) {
      for (Throwable failure : List.of(new IllegalStateException("step 40 fails"),
          new java.io.IOException("step 40 fails"))) {
        AtomicInteger steps = new AtomicInteger();
        Environment<Long> failing = new HookedHashGame() {
          @Override
          <T> T around(Long state, Supplier<T> call) {
            if (steps.incrementAndGet() == 40) {
              throw Sneaky.rethrow(failure);
            }
            return call.get();
          }
        };
        Mcts<Long> mcts = new Mcts<>(failing, Evaluator.uniform(),
            SearchConfig.builder().threads(threads).leavesPerBatch(4).build()).reset(0L);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> mcts.search(Budget.simulations(2000)))
                .isSameAs(failure));
        TreeInvariants.check(mcts.tree(), game); // no visit in flight, nothing pending
        assertThat(mcts.search(Budget.simulations(5)).stats().simulations()).isEqualTo(5);
        TreeInvariants.check(mcts.tree(), game);
      }
    }
  }

  private void failOnceAloneAndWithThreads() {
    HashGame game = new HashGame();
    for (int threads : new int[] {1, 4}) {
      for (Throwable failure : List.of(new IllegalStateException("third call fails"),
          new java.io.IOException("third call fails"))) {
        AtomicInteger calls = new AtomicInteger();
        Evaluator<Long> flaky = batch -> {
          if (calls.incrementAndGet() == 3) {
            throw Sneaky.rethrow(failure);
          }
          for (int row = 0; row < batch.size(); row++) {
            batch.setValue(row, 0);
          }
        };
        Mcts<Long> mcts = new Mcts<>(game, flaky, SearchConfig.builder().threads(threads).leavesPerBatch(4).build())
            .reset(0L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mcts.search(Budget.simulations(2000)))
            .isSameAs(failure);
        TreeInvariants.check(mcts.tree(), game); // no visit in flight, nothing pending
        assertThat(mcts.search(Budget.simulations(5)).stats().simulations()).isEqualTo(5);
        TreeInvariants.check(mcts.tree(), game);
      }
    }
  }
}
