package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Searches many trees at once through one evaluator, so that the batch size comes from breadth (many
 * puzzles, many self-play games) as well as from virtual loss: in each round every unfinished tree
 * gathers its leaves ({@link SearchConfig#leavesPerBatch()} of them) into one shared batch, the
 * evaluator answers the whole batch in one call, and each tree expands and backs up its own rows.
 * Many more problems than fit in a batch are streamed: {@link #search(Environment, SearchConfig, List,
 * Budget, int)} keeps a given number of trees in flight and gives a finished tree's place, and its
 * memory, to the next problem.
 *
 * <p><b>Overlap.</b> A network is fast only when it is kept busy. An {@link #overlapped} pool splits the
 * trees into {@link #groups() two groups} and works on them with two threads, the caller and one of
 * its own, one group each, so that the CPU work of the search hides behind network time. A group
 * cycles between a search step (decode and back up its evaluated batch, retire finished trees, gather
 * and encode its next batch) and a network run ({@link StagedEvaluator.Stage#run}, or a whole call of
 * any other evaluator). The threads take turns at the network, so that it runs on one thread at a
 * time, as a lone thread would use it: while one thread runs its batch, the other searches. A tree never
 * moves between threads, so its memory stays in the caches of the core that searches it (the
 * benchmarks' machine sometimes places its two cores on different dies, where moving data between
 * them costs about ten times more). Each group has its own stage, kept from search to search. A
 * {@link #sequential} pool does everything on the calling thread.
 *
 * <p><b>Determinism.</b> Each tree is touched by one thread at a time, its leaves are gathered with its
 * own seeded generator, and an evaluator's randomness comes from the generator of the tree
 * that owns the row ({@link EvaluationBatch#random(int)}). So every tree ends exactly as it would have
 * if searched alone with the same configuration, in every kind of pool, run after run (unless a time
 * budget cuts it). The evaluator is called from one thread at a time,
 * except in a {@link #parallel} pool.
 *
 * <p>An exception from the evaluator (any of its steps) or an environment reaches the caller after
 * every tree has dropped its unevaluated leaves; the trees stay consistent and can be searched again.
 * A pool serves one {@code search} call at a time; a second one from another thread meanwhile fails
 * at once. {@link #close} stops the pool's thread and closes the stages.
 *
 * @param <S> the state type
 */
public final class SearchPool<S> implements AutoCloseable {

  private final Evaluator<S> evaluator;
  /** Groups of an overlapped pool: one per thread (three shared by both threads measured no better). */
  private static final int OVERLAPPED_GROUPS = 2;

  private final EvaluatorThread evaluatorThread; // the second thread of an overlapped pool, else null
  @SuppressWarnings("unchecked")
  private final StagedEvaluator.Stage<S>[] stages;
  private final int groups;
  private final boolean parallel; // each group searched and evaluated by a thread of its own
  private final AtomicLong evaluatorCalls = new AtomicLong();
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong searchNanos = new AtomicLong();
  private final AtomicLong networkNanos = new AtomicLong();
  private volatile boolean closed;
  private final AtomicBoolean running = new AtomicBoolean();

  @SuppressWarnings("unchecked")
  private SearchPool(Evaluator<S> evaluator, boolean overlap, int groups, boolean parallel) {
    this.evaluator = checkNotNull(evaluator, "evaluator must not be null");
    this.groups = groups;
    this.parallel = parallel;
    this.stages = new StagedEvaluator.Stage[groups];
    this.evaluatorThread = overlap ? new EvaluatorThread("ponder-evaluator", 1) : null;
  }

  /** A pool that evaluates on the calling thread, between the search's own steps. */
  public static <S> SearchPool<S> sequential(Evaluator<S> evaluator) {
    return new SearchPool<>(evaluator, false, 1, false);
  }

  /**
   * A pool that searches and runs the network with two threads, the caller and a daemon thread named
   * {@code ponder-evaluator} kept for the pool's life, each with half the trees, taking turns at the
   * network: while one runs a batch, the other searches. The evaluator need not be thread-safe: it is
   * called by one thread at a time. A {@link StagedEvaluator} is asked for a stage by each thread, and
   * the two stages encode and decode at the same time, each on its own thread, while their runs take
   * turns; stages must share nothing but what they only read, or what their runs use. The two threads
   * step the environment at the same time, each for its own trees: it must be thread-safe.
   */
  public static <S> SearchPool<S> overlapped(Evaluator<S> evaluator) {
    return new SearchPool<>(evaluator, true, OVERLAPPED_GROUPS, false);
  }

  /**
   * A pool whose trees are split between {@code threads} threads (the caller and {@code threads - 1}
   * daemon threads made for each search call), each of which searches its share and calls the
   * evaluator for its own batches, so the network may run on several threads at once: for a
   * thread-safe evaluator (the ONNX evaluator is) that gains from that, a CPU network with cores to
   * spare. With one network on two cores, {@link #overlapped} measured the same or better. Each tree is
   * still searched by one thread only, with its own generator: results stay exactly those of lone
   * searches. The threads step the environment at the same time: it must be thread-safe.
   */
  public static <S> SearchPool<S> parallel(Evaluator<S> evaluator, int threads) {
    checkArgument(threads >= 1 && threads <= SearchConfig.MAX_THREADS, "threads must be in [1, %s], was %s",
        SearchConfig.MAX_THREADS, threads);
    return new SearchPool<>(evaluator, false, threads, true);
  }

  /**
   * The groups the trees of a search call are split into, each group's leaves making one batch: 1 for
   * a sequential pool, 2 for an overlapped one, the thread count for a parallel one. For batches of
   * about B states with K leaves per tree, search about {@code groups() * B / K} trees at once.
   */
  public int groups() {
    return groups;
  }

  /** Evaluator calls made by this pool so far. */
  public long evaluatorCalls() {
    return evaluatorCalls.get();
  }

  /** States evaluated by this pool so far; divided by {@link #evaluatorCalls()}, the mean batch size. */
  public long evaluations() {
    return evaluations.get();
  }

  /**
   * Time spent in search steps so far (decoding, backing up, gathering and encoding batches), summed
   * over the pool's threads, in nanoseconds. With {@link #networkNanos()} it tells where a pool's time
   * goes: on two cores an overlapped pool gives at most {@code 2 * network / (network + search)} of the
   * network's own throughput.
   */
  public long searchNanos() {
    return searchNanos.get();
  }

  /** Time spent running the evaluator on encoded batches so far, summed over threads, in nanoseconds. */
  public long networkNanos() {
    return networkNanos.get();
  }

  /**
   * Searches a new tree from each root state, all at once; tree {@code i} uses {@code config} with the
   * seed {@code config.seed() + i}.
   *
   * @return one result per root, in order
   */
  public List<SearchResult> search(Environment<S> environment, SearchConfig config, List<S> roots,
      Budget budget) {
    checkNotNull(roots, "roots must not be null");
    return search(environment, config, roots, budget, Math.max(1, roots.size()));
  }

  /**
   * Searches a new tree from each root state, at most {@code treesInFlight} at once: when a tree's
   * search ends, the next root takes its place (and its memory), so the batches stay full and the
   * memory bounded however many problems there are. Tree {@code i} uses {@code config} with the seed
   * {@code config.seed() + i}, and ends exactly as it would alone.
   *
   * @param treesInFlight trees searched at once: about {@link #groups()} times the batch size over
   *     {@link SearchConfig#leavesPerBatch()}
   * @return one result per root, in order
   */
  public List<SearchResult> search(Environment<S> environment, SearchConfig config, List<S> roots,
      Budget budget, int treesInFlight) {
    checkNotNull(environment, "environment must not be null");
    checkNotNull(config, "config must not be null");
    checkNotNull(roots, "roots must not be null");
    checkArgument(treesInFlight >= 1, "treesInFlight must be at least 1, was %s", treesInFlight);
    for (int i = 0; i < roots.size(); i++) {
      checkNotNull(roots.get(i), "root %s is null", i);
    }
    Problems problems = new Problems(config, roots);
    List<Mcts<S>> searches = new ArrayList<>(Math.min(treesInFlight, roots.size()));
    while (searches.size() < treesInFlight && problems.hasNext()) {
      searches.add(problems.next(new Mcts<>(environment, evaluator, problems.nextConfig())));
    }
    return run(searches, budget, problems);
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
    return run(searches, budget, null);
  }

  /**
   * The roots of a search call not yet begun, handed out in order with their seeds; to the threads of
   * a parallel pool too (synchronized).
   */
  private final class Problems {
    private final SearchConfig config;
    private final List<S> roots;
    // the caller's: it stops every search of the call
    private final Interruption interruption = new Interruption(Thread.currentThread());
    private int next;

    Problems(SearchConfig config, List<S> roots) {
      this.config = config;
      this.roots = roots;
    }

    int count() {
      return roots.size();
    }

    boolean hasNext() {
      return next < roots.size();
    }

    /** The configuration of the next problem: its seed is {@code config.seed()} plus its index. */
    SearchConfig nextConfig() {
      return config.toBuilder().seed(config.seed() + next).build();
    }

    /** Sets {@code mcts} (made with {@link #nextConfig()}) on the next root; returns it. */
    Mcts<S> next(Mcts<S> mcts) {
      mcts.reset(roots.get(next++));
      return mcts;
    }

    /**
     * Begins the next problem, if any, in the place (and the tree memory) of {@code finished}: at
     * position {@code at} of {@code group}.
     */
    synchronized void replace(Mcts<S> finished, Group group, int at, Budget budget) {
      if (!hasNext()) {
        return;
      }
      int index = next;
      Mcts<S> mcts = next(new Mcts<>(finished, nextConfig()));
      begin(mcts, budget, interruption, "root " + index); // not yet in the group: nothing of it to abandon if it throws
      group.trees.add(at, mcts);
      group.indices.add(at, index);
    }
  }

  /** Begins {@code mcts}; a tree that cannot begin (no root, a terminal root) is named as {@code which}. */
  private static void begin(Mcts<?> mcts, Budget budget, Interruption interruption, String which) {
    try {
      mcts.begin(budget, interruption);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(which + ": " + e.getMessage(), e);
    }
  }

  private List<SearchResult> run(List<Mcts<S>> searches, Budget budget, Problems problems) {
    checkState(!closed, "the search pool is closed");
    checkNotNull(budget, "budget must not be null");
    checkNotNull(searches, "searches must not be null");
    for (int i = 0; i < searches.size(); i++) {
      checkNotNull(searches.get(i), "search %s is null", i);
    }
    checkArgument(searches.stream().distinct().count() == searches.size(), "a search appears twice");
    if (!running.compareAndSet(false, true)) {
      checkState(!closed, "the search pool is closed");
      throw new IllegalStateException(
          "this pool is already searching on another thread: a pool serves one search call at a time");
    }
    try {
      return searchAll(searches, budget, problems);
    } finally {
      running.set(false);
      if (closed && running.compareAndSet(false, true)) { // closed meanwhile: close() left the stages to us
        closeStages();
      }
    }
  }

  private List<SearchResult> searchAll(List<Mcts<S>> searches, Budget budget, Problems problems) {
    SearchResult[] results = new SearchResult[problems == null ? searches.size() : problems.count()];
    Interruption interruption = problems == null ? new Interruption(Thread.currentThread()) : problems.interruption;
    List<Group> all = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      all.add(new Group(g));
    }
    for (int i = 0; i < searches.size(); i++) {
      Mcts<S> mcts = searches.get(i);
      checkArgument(mcts.config().threads() == 1,
          "search %s is configured with %s threads; a pool drives each tree from one thread", i,
          mcts.config().threads());
    }
    try {
      for (int i = 0; i < searches.size(); i++) {
        Mcts<S> mcts = searches.get(i);
        Group group = all.get(i % groups);
        group.add(mcts, i);
        try {
          begin(mcts, budget, interruption, problems == null ? "search " + i : "root " + i);
        } catch (Throwable e) {
          group.removeLast(); // not begun: nothing of it to abandon or release
          throw e;
        }
      }
      if (parallel) {
        runInParallel(all, results, budget, problems, interruption);
      } else if (evaluatorThread != null) {
        runOverlapped(all, results, budget, problems);
      } else { // a sequential pool's only group, on the calling thread
        AtomicReference<Throwable> failure = new AtomicReference<>();
        all.get(0).runAlone(results, budget, problems, failure, null);
        Failures.rethrow(failure.get());
      }
    } catch (Throwable e) {
      for (Group group : all) { // no other thread is working on them any more
        group.abandon();
      }
      throw e;
    }
    return Arrays.asList(results);
  }

  /**
   * Each group on a thread of its own (the first on the caller's), every thread gathering, evaluating
   * and backing up its group's batches in turn. A failure on one thread stops the others at their next
   * batch; each thread drops its own trees' unevaluated leaves, then the first failure is rethrown.
   */
  private void runInParallel(List<Group> all, SearchResult[] results, Budget budget, Problems problems,
      Interruption interruption) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    HelperThreads.run(all.size(), interruption,
        g -> all.get(g).runAlone(results, budget, problems, failure, null));
    Failures.rethrow(failure.get());
  }

  /**
   * The overlapped pool's two groups, each on a thread of its own: the first on the caller's, the
   * second on the pool's thread. Each thread steps its own group and runs its batches, taking the
   * network's turn for each run, so the network runs on one thread at a time while the other searches,
   * and a tree never moves between threads (nor between cores' caches). A failure on either thread, or
   * the pool's closing, stops both at their next turn; the caller rethrows the first failure once the
   * other thread's side is over.
   */
  private void runOverlapped(List<Group> all, SearchResult[] results, Budget budget, Problems problems) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    NetworkTurn turn = new NetworkTurn();
    evaluatorThread.post(() -> all.get(1).runAlone(results, budget, problems, failure, turn));
    all.get(0).runAlone(results, budget, problems, failure, turn);
    try {
      evaluatorThread.await(); // its side never throws; a closed pool's thread may never have run it
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
    Failures.rethrow(failure.get());
  }

  /** The stage of group {@code g}, made on first use and kept. */
  private StagedEvaluator.Stage<S> stage(int g) {
    if (stages[g] == null) {
      stages[g] = evaluator instanceof StagedEvaluator<S> staged
          ? new CheckedStage<>(staged.newStage(), evaluator)
          : new WholeStage<>(evaluator);
    }
    return stages[g];
  }

  /**
   * Stops the pool's thread (if any) and closes the stages (at once, or when the search under way ends).
   * A search under way fails at its next step with an {@link IllegalStateException}, its trees
   * consistent. Idempotent; a closed pool refuses new searches.
   */
  @Override
  public void close() {
    closed = true;
    if (evaluatorThread != null) {
      evaluatorThread.close();
    }
    if (running.compareAndSet(false, true)) { // else the search under way closes them when it ends
      closeStages();
    }
  }

  private void closeStages() {
    Throwable failure = null;
    for (int g = 0; g < stages.length; g++) {
      if (stages[g] != null) {
        try {
          stages[g].close();
        } catch (Throwable e) { // every stage is closed, whatever one of them throws
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
        stages[g] = null;
      }
    }
    Failures.rethrow(failure);
  }

  /** Trees whose leaves share one batch. */
  private final class Group {
    final int index;
    final List<Mcts<S>> trees = new ArrayList<>();
    final List<Integer> indices = new ArrayList<>();
    EvaluationBatch<S> batch;
    StagedEvaluator.Stage<S> stage;
    boolean evaluating; // its batch is handed over and not yet decoded

    Group(int index) {
      this.index = index;
    }

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

    /**
     * One search step: decodes the evaluated batch (if any) and backs up its rows, retires every tree
     * whose search is over (the next of {@code problems}, if any, taking its place), then gathers and
     * encodes the next batch; {@link #evaluating} tells whether there is one to {@link #run}.
     */
    void step(SearchResult[] results, Budget budget, Problems problems) {
      if (trees.isEmpty()) {
        return; // more groups than trees
      }
      long start = System.nanoTime();
      try {
        stepTimed(results, budget, problems);
      } finally {
        searchNanos.addAndGet(System.nanoTime() - start);
      }
    }

    private void stepTimed(SearchResult[] results, Budget budget, Problems problems) {
      if (evaluating) {
        stage.decode(batch);
        evaluating = false;
      }
      for (Mcts<S> mcts : trees) {
        mcts.complete(batch);
      }
      for (int k = trees.size() - 1; k >= 0; k--) {
        StopReason reason = trees.get(k).stopReason();
        if (reason != null) {
          Mcts<S> done = trees.get(k);
          results[indices.get(k)] = done.finish(reason);
          trees.remove(k);
          indices.remove(k);
          if (problems != null) {
            problems.replace(done, this, k, budget);
          }
        }
      }
      batch.clear();
      for (Mcts<S> mcts : trees) {
        mcts.gather(batch);
      }
      if (batch.size() == 0) {
        return;
      }
      if (stage == null) {
        stage = stage(index);
      }
      evaluatorCalls.incrementAndGet();
      evaluations.addAndGet(batch.size());
      evaluating = true;
      stage.encode(batch);
    }

    /** Runs the network on the encoded batch. */
    void run() {
      long start = System.nanoTime();
      try {
        stage.run();
      } finally {
        networkNanos.addAndGet(System.nanoTime() - start);
      }
    }

    /**
     * Steps and runs this group on the calling thread until its trees are done, a thread failed or the
     * pool was closed; with a {@code turn}, each run waits for the network's turn (an overlapped pool).
     * A failure is recorded, not thrown, after the trees dropped their unevaluated leaves.
     */
    void runAlone(SearchResult[] results, Budget budget, Problems problems, AtomicReference<Throwable> failure,
        NetworkTurn turn) {
      try {
        while (!trees.isEmpty() && failure.get() == null) {
          checkState(!closed, "the search pool was closed during a search");
          step(results, budget, problems);
          if (!evaluating) {
            continue;
          }
          if (turn == null) {
            run();
          } else if (turn.take(() -> failure.get() != null || closed)) {
            try {
              run();
            } finally {
              turn.release();
            }
          }
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
      if (failure.get() != null) {
        abandon(); // on this thread, the only one that touched these trees
        trees.clear();
      }
    }

    void abandon() {
      for (Mcts<S> mcts : trees) {
        mcts.abandon();
        mcts.release();
      }
    }
  }

  /** A staged evaluator's stage, whose decode is followed by the search's check of the batch. */
  private record CheckedStage<S>(StagedEvaluator.Stage<S> stage, Object evaluator)
      implements StagedEvaluator.Stage<S> {

    @Override
    public void encode(EvaluationBatch<S> batch) {
      stage.encode(batch);
    }

    @Override
    public void run() {
      stage.run();
    }

    @Override
    public void decode(EvaluationBatch<S> batch) {
      stage.decode(batch);
      batch.checkAndNormalize(evaluator);
    }

    @Override
    public void close() {
      stage.close();
    }
  }

  /**
   * Any evaluator as a stage: the run calls it on the whole batch and checks the answers; encode only
   * remembers the batch, and decode has nothing left to do.
   */
  private static final class WholeStage<S> implements StagedEvaluator.Stage<S> {
    private final Evaluator<S> evaluator;
    private EvaluationBatch<S> batch;

    WholeStage(Evaluator<S> evaluator) {
      this.evaluator = evaluator;
    }

    @Override
    public void encode(EvaluationBatch<S> batch) {
      this.batch = batch;
    }

    @Override
    public void run() {
      evaluator.evaluate(batch);
      batch.checkAndNormalize(evaluator);
    }

    @Override
    public void decode(EvaluationBatch<S> batch) {
      this.batch = null;
    }

    @Override
    public void close() {
      batch = null;
    }
  }
}
