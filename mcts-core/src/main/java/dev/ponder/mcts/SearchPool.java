package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.util.concurrent.Uninterruptibles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Searches many trees at once through one evaluator, so that the batch size comes from breadth (many
 * puzzles, many self-play games) as well as from virtual loss: in each round every unfinished tree
 * gathers its leaves ({@link SearchConfig#leavesPerBatch()} of them) into one shared batch, the
 * evaluator answers the whole batch in one call, and each tree expands and backs up its own rows.
 *
 * <p><b>Overlap.</b> A network is fast only when it is kept busy. An {@link #overlapped} pool splits the
 * trees into two groups and evaluates one group's batch on its own thread while the calling thread
 * backs up and gathers the other group's, so the CPU work of the search hides behind network time (on
 * two cores: the network on one, the search on the other). A {@link #sequential} pool does everything on
 * the calling thread.
 *
 * <p><b>Determinism.</b> Each tree is only ever touched by the calling thread, its leaves are gathered
 * with its own seeded generator, and an evaluator's randomness comes from the generator of the tree
 * that owns the row ({@link EvaluationBatch#random(int)}). So every tree ends exactly as it would have
 * if searched alone with the same configuration, in either mode, run after run (unless a time budget
 * cuts it). The evaluator is called from one thread at a time.
 *
 * <p>An exception from the evaluator or an environment reaches the caller after every tree has dropped
 * its unevaluated leaves; the trees stay consistent and can be searched again. A pool serves one
 * {@code search} call at a time; a second one from another thread meanwhile fails at once.
 *
 * @param <S> the state type
 */
public final class SearchPool<S> implements AutoCloseable {

  private final Evaluator<S> evaluator;
  private final ExecutorService evaluatorThread; // null for a sequential pool
  private long evaluatorCalls;
  private long evaluations;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

  private SearchPool(Evaluator<S> evaluator, boolean overlap) {
    this.evaluator = checkNotNull(evaluator, "evaluator must not be null");
    this.evaluatorThread = overlap ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ponder-evaluator");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** A pool that evaluates on the calling thread, between the search's own steps. */
  public static <S> SearchPool<S> sequential(Evaluator<S> evaluator) {
    return new SearchPool<>(evaluator, false);
  }

  /** A pool that evaluates one group of trees on its own thread while the caller works on the other. */
  public static <S> SearchPool<S> overlapped(Evaluator<S> evaluator) {
    return new SearchPool<>(evaluator, true);
  }

  /** Evaluator calls made by this pool so far. */
  public long evaluatorCalls() {
    return evaluatorCalls;
  }

  /** States evaluated by this pool so far; divided by {@link #evaluatorCalls()}, the mean batch size. */
  public long evaluations() {
    return evaluations;
  }

  /**
   * Searches a new tree from each root state; tree {@code i} uses {@code config} with the seed
   * {@code config.seed() + i}.
   *
   * @return one result per root, in order
   */
  public List<SearchResult> search(Environment<S> environment, SearchConfig config, List<S> roots,
      Budget budget) {
    checkNotNull(roots, "roots must not be null");
    List<Mcts<S>> searches = new ArrayList<>(roots.size());
    for (int i = 0; i < roots.size(); i++) {
      Mcts<S> mcts = new Mcts<>(environment, evaluator, config.toBuilder().seed(config.seed() + i).build());
      mcts.reset(checkNotNull(roots.get(i), "root %s is null", i));
      searches.add(mcts);
    }
    return search(searches, budget);
  }

  /**
   * Searches every tree from its current root, each with {@code budget}, all through this pool's
   * evaluator (their own evaluators are not called). The trees keep what they had: a self-play loop
   * searches, advances each game, and searches again.
   *
   * @return one result per search, in order
   * @throws IllegalArgumentException if a search appears twice
   * @throws IllegalStateException if a search has no root or a terminal root
   */
  public List<SearchResult> search(List<Mcts<S>> searches, Budget budget) {
    checkState(!closed, "the search pool is closed");
    checkNotNull(budget, "budget must not be null");
    checkArgument(searches.stream().distinct().count() == searches.size(), "a search appears twice");
    checkState(running.compareAndSet(false, true),
        "this pool is already searching on another thread: a pool serves one search call at a time");
    try {
      return searchAll(searches, budget);
    } finally {
      running.set(false);
    }
  }

  private List<SearchResult> searchAll(List<Mcts<S>> searches, Budget budget) {
    SearchResult[] results = new SearchResult[searches.size()];
    Group first = new Group();
    Group second = new Group();
    for (int i = 0; i < searches.size(); i++) {
      Mcts<S> mcts = searches.get(i);
      checkArgument(mcts.config().threads() == 1,
          "search %s is configured with %s threads; a pool drives each tree from one thread", i,
          mcts.config().threads());
    }
    try {
      for (int i = 0; i < searches.size(); i++) {
        Mcts<S> mcts = searches.get(i);
        Group group = evaluatorThread != null && i % 2 == 1 ? second : first;
        group.add(mcts, i);
        try {
          mcts.begin(budget);
        } catch (RuntimeException | Error e) {
          group.removeLast(); // not begun: nothing of it to abandon or release
          throw e;
        }
      }
      if (evaluatorThread == null) {
        while (!first.trees.isEmpty()) {
          first.gather();
          if (first.batch.size() > 0) {
            evaluate(first.batch);
          }
          first.complete(results);
        }
      } else {
        runOverlapped(first, second, results);
      }
    } catch (RuntimeException | Error e) {
      first.abandon();
      second.abandon();
      throw e;
    }
    return Arrays.asList(results);
  }

  /** Two groups in turn: one is evaluated on the evaluator thread while the other is worked on here. */
  private void runOverlapped(Group current, Group next, SearchResult[] results) {
    current.gather();
    current.submit();
    while (!current.trees.isEmpty() || !next.trees.isEmpty()) {
      try {
        next.gather();
      } finally {
        current.await(); // never leave the evaluator thread reading a batch we abandon
      }
      next.submit();
      current.complete(results);
      Group swap = current;
      current = next;
      next = swap;
    }
  }

  private void evaluate(EvaluationBatch<S> batch) {
    evaluatorCalls++;
    evaluations += batch.size();
    evaluator.evaluate(batch);
    batch.checkAndNormalize(evaluator);
  }

  /** Stops the evaluator thread. Idempotent; a closed pool refuses new searches. */
  @Override
  public void close() {
    closed = true;
    if (evaluatorThread != null) {
      evaluatorThread.shutdownNow();
    }
  }

  /** Trees whose leaves share one batch. */
  private final class Group {
    final List<Mcts<S>> trees = new ArrayList<>();
    final List<Integer> indices = new ArrayList<>();
    EvaluationBatch<S> batch;
    Future<?> inFlight;

    void add(Mcts<S> mcts, int index) {
      if (batch == null) {
        batch = new EvaluationBatch<>(mcts.environment().actionCount());
      }
      checkArgument(mcts.environment().actionCount() == batch.actionCount(),
          "search %s has %s actions, search %s has %s: a pool's searches share one action space", index,
          mcts.environment().actionCount(), indices.isEmpty() ? index : indices.get(0), batch.actionCount());
      trees.add(mcts);
      indices.add(index);
    }

    void removeLast() {
      trees.remove(trees.size() - 1);
      indices.remove(indices.size() - 1);
    }

    void gather() {
      if (batch != null) {
        batch.clear();
      }
      for (Mcts<S> mcts : trees) {
        mcts.gather(batch);
      }
    }

    void submit() {
      if (batch != null && batch.size() > 0) {
        inFlight = evaluatorThread.submit(() -> evaluate(batch));
      }
    }

    void await() {
      if (inFlight == null) {
        return;
      }
      Future<?> f = inFlight;
      inFlight = null;
      try {
        Uninterruptibles.getUninterruptibly(f);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("evaluator failed", cause);
      }
    }

    /** Backs up the evaluated rows, then retires every tree whose search is over. */
    void complete(SearchResult[] results) {
      for (Mcts<S> mcts : trees) {
        mcts.complete(batch);
      }
      for (int k = trees.size() - 1; k >= 0; k--) {
        StopReason reason = trees.get(k).stopReason();
        if (reason != null) {
          results[indices.get(k)] = trees.get(k).finish(reason);
          trees.remove(k);
          indices.remove(k);
        }
      }
    }

    void abandon() {
      if (inFlight != null) {
        try {
          await();
        } catch (RuntimeException | Error ignored) {
          // the first failure is the one reported
        }
      }
      for (Mcts<S> mcts : trees) {
        mcts.abandon();
        mcts.release();
      }
    }
  }
}
