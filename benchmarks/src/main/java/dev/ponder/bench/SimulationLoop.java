package dev.ponder.bench;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.Transition;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs searches back to back for a fixed time and counts simulations: one thread, or N threads either
 * each with its own {@link Mcts} (independent trees) or all on one tree
 * ({@link SearchConfig#threads()}).
 */
final class SimulationLoop {

  /** How threads share work. */
  enum Mode {
    /** Each thread searches its own trees, with its own Mcts; nothing is shared but the evaluator. */
    INDEPENDENT_TREES,
    /** All threads search one tree ({@code SearchConfig.threads(n)}: one lock around select and backup). */
    SHARED_TREE
  }

  private SimulationLoop() {}

  /**
   * A wait added to every evaluator call or to every environment step, without using a core, as a
   * remote model or a language model would: {@link #NONE}, or {@code nanos} in the evaluator or, with
   * {@code inStep}, in the environment's step.
   */
  record Latency(long nanos, boolean inStep) {
    static final Latency NONE = new Latency(0, false);

    <S> Evaluator<S> evaluator() {
      return uniform(inStep ? 0 : nanos);
    }

    <S> Environment<S> environment(Environment<S> env) {
      return inStep && nanos > 0 ? waitingSteps(env, nanos) : env;
    }
  }

  /**
   * Simulations and nanoseconds of a measurement, and the sum over simulations of their leaves' depth.
   */
  record Count(long simulations, long nanos, long searches, double depths) {
    double perSecond() {
      return simulations * 1e9 / nanos;
    }

    double nanosPerSimulation() {
      return (double) nanos / simulations;
    }

    /** Mean depth of the leaves, in actions below the root. */
    double meanDepth() {
      return depths / simulations;
    }
  }

  /**
   * One thread (or one shared tree): search from seeded roots with {@code budget} until {@code seconds}
   * have passed, with the uniform evaluator, and the {@code latency} in it or in the game's steps.
   */
  static <S> Count run(Games game, SearchConfig config, Budget budget, double seconds, long seed,
      Latency latency) {
    Environment<S> env = latency.environment(game.environment());
    return run(new Mcts<>(env, latency.evaluator(), config), game, budget, seconds, seed);
  }

  /** {@code env}, whose every step first waits {@code nanos} without using a core. */
  static <S> Environment<S> waitingSteps(Environment<S> env, long nanos) {
    return new Environment<>() {
      @Override
      public int actionCount() {
        return env.actionCount();
      }

      @Override
      public int legalActions(S state, int[] out) {
        return env.legalActions(state, out);
      }

      @Override
      public Transition<S> step(S state, int action) {
        LockSupport.parkNanos(nanos);
        return env.step(state, action);
      }

      @Override
      public boolean isTerminal(S state) {
        return env.isTerminal(state);
      }

      @Override
      public int players() {
        return env.players();
      }

      @Override
      public int toPlay(S state) {
        return env.toPlay(state);
      }
    };
  }

  /**
   * The uniform evaluator; with a latency, one that first waits that long per call without using a
   * core, as a remote model or a language model would.
   */
  static <S> Evaluator<S> uniform(long latencyNanos) {
    if (latencyNanos == 0) {
      return Evaluator.uniform();
    }
    Evaluator<S> uniform = Evaluator.uniform();
    return batch -> {
      LockSupport.parkNanos(latencyNanos);
      uniform.evaluate(batch);
    };
  }

  /** Searches with {@code mcts} (whose tree arrays stay allocated between searches) for the time. */
  static <S> Count run(Mcts<S> mcts, Games game, Budget budget, double seconds, long seed) {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long sims = 0;
    long searches = 0;
    double depths = 0;
    long now;
    do {
      S root = game.root(seed + searches);
      SearchResult r = mcts.search(root, budget);
      sims += r.stats().simulations();
      depths += r.stats().meanDepth() * r.stats().simulations();
      searches++;
      now = System.nanoTime();
    } while (now < deadline);
    return new Count(sims, now - start, searches, depths);
  }

  /**
   * {@code threads} threads for the same time: each running {@link #run} on its own search, or all on
   * one tree.
   */
  static Count runThreads(Games game, SearchConfig config, Budget budget, double seconds, long seed,
      int threads, Mode mode, Latency latency) {
    if (threads == 1) {
      return run(game, config, budget, seconds, seed, latency);
    }
    switch (mode) {
      case INDEPENDENT_TREES -> {
        CyclicBarrier barrier = new CyclicBarrier(threads);
        Count[] counts = new Count[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
          int id = t;
          workers[t] = new Thread(() -> {
            try {
              barrier.await();
              counts[id] = run(game, config.toBuilder().seed(config.seed() + id).build(), budget, seconds,
                  seed + 1_000_000L * id, latency);
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
          }, "bench-" + t);
          workers[t].start();
        }
        for (Thread w : workers) {
          try {
            w.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
        if (failure.get() != null) {
          throw new IllegalStateException("a benchmark thread failed", failure.get());
        }
        long sims = 0;
        long nanos = 0;
        long searches = 0;
        double depths = 0;
        for (Count c : counts) {
          sims += c.simulations();
          nanos = Math.max(nanos, c.nanos());
          searches += c.searches();
          depths += c.depths();
        }
        return new Count(sims, nanos, searches, depths);
      }
      case SHARED_TREE -> {
        return run(game, config.toBuilder().threads(threads).build(), budget, seconds, seed, latency);
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }
}
