package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.ponder.mcts.select.SelectionRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.collections.api.factory.Lists;
import org.eclipse.collections.api.factory.primitive.IntLists;
import org.eclipse.collections.api.list.MutableList;
import org.eclipse.collections.api.list.primitive.MutableIntList;

/**
 * Monte Carlo Tree Search over an {@link Environment}, guided by an {@link Evaluator}: the AlphaZero
 * search, or classic UCT with rollouts, depending on the {@link SearchConfig}.
 *
 * <p>One simulation <b>selects</b> a path from the root with the selection rule until it reaches a node
 * that has not been expanded, <b>expands</b> it (its legal actions become children, its state is queued
 * for the evaluator), <b>evaluates</b> the queued states in one batched call and <b>backs up</b> each
 * value along its path: a running sum per node, plus the rewards on the way, discounted, negated where
 * the player to move changes. With {@code leavesPerBatch = K > 1} up to K leaves are gathered per
 * evaluator call, each path marked with virtual loss so that the next descent avoids it; a descent that
 * ends on a leaf already in the batch is a collision: it is counted, its path keeps its virtual loss
 * until the batch is backed up (so that later descents turn elsewhere), and after K collisions the
 * batch is closed.
 *
 * <p>An Mcts keeps its tree between searches: {@link #advance} moves the root to a child and keeps that
 * child's subtree (tree reuse), so a game loop is {@code reset(start)}, then {@code search},
 * {@code advance} for each move. A search whose root is not expanded yet runs at least one simulation
 * (so that it names an action); it stops when any limit of its {@link Budget} is reached, or when its
 * thread is interrupted.
 *
 * <p>Deterministic: the same environment, evaluator, configuration (including the seed) and sequence of
 * calls give the same trees and equal results, unless a time budget cuts a search. The searches of one
 * Mcts draw from one random stream, seeded once, so a second search from the same root on the same Mcts
 * draws fresh noise (as successive self-play games should); a new Mcts repeats the first. An exception
 * from the environment or the evaluator reaches the caller with the tree consistent: the simulations of
 * the failed batch are dropped and no virtual loss is left behind. An Mcts serves one search at a time: a
 * search, advance or reset from another thread while it searches fails at once with an
 * {@link IllegalStateException} and leaves the running search unharmed.
 *
 * <p><b>Threads</b> (opt-in, {@link SearchConfig#threads()} above 1): several threads search the one
 * tree, each gathering its own batch of leaves under virtual loss and evaluating it while the others
 * select and back up. Updates of the tree are serialised by one lock, held only while a thread selects
 * and claims its leaves, gives them their states, or backs them up: the environment's steps and legal
 * actions and the evaluator's calls, where a language model or a remote service would spend its time,
 * all run outside it and in parallel, so both must be thread-safe. The result depends on thread
 * timing: such searches are not reproducible.
 *
 * <p>References: R. Coulom, "Efficient selectivity and backup operators in Monte-Carlo tree search",
 * CG 2006; D. Silver et al., "A general reinforcement learning algorithm that masters chess, shogi and Go
 * through self-play", Science 362 (2018); G. Chaslot et al., "Parallel Monte-Carlo tree search", CG 2008
 * (virtual loss).
 *
 * @param <S> the state type
 */
public final class Mcts<S> {

  private static final int SCALES = 1024;

  private final Environment<S> environment;
  private final Evaluator<S> evaluator;
  private final SearchConfig config;
  private final SelectionRule rule;
  private final double[] scales; // rule.scale(n) for small n, filled as met: a log and a root per level saved
  private final boolean useFirstPlayUrgency;
  private final boolean solver;
  /** A proven child whose Q is at most this is lost: -maxReturn with the solver in a two-player game. */
  private final float provenLoss;
  private final int actionCount;
  private final int players;
  private final SplittableRandom random;
  private final Tree tree;
  private final EvaluationBatch<S> batch;
  private final Walker walker; // the walker of single-threaded searches
  private boolean hasRoot;
  private final AtomicBoolean busy = new AtomicBoolean(); // a search is under way
  private double[] rootPriors; // root priors with noise, for this search; null when there is no noise

  // The current search.
  private Budget budget;
  private long startNanos;
  private long deadline;
  private Interruption interruption; // of the search under way
  private SplittableRandom searchRandom;
  private long simulations;
  private long evaluatorCalls;
  private long evaluations;
  private long collisions;
  private int maxDepth;
  private long totalDepth; // of the simulations' leaves
  private long leavesInFlight; // gathered by a thread and not yet completed (threaded searches)

  /**
   * A search over {@code environment} guided by {@code evaluator}.
   *
   * @throws IllegalArgumentException if the environment declares no actions or more than two players
   */
  public Mcts(Environment<S> environment, Evaluator<S> evaluator, SearchConfig config) {
    this(environment, evaluator, config, null);
  }

  /**
   * A search with {@code config} that takes over the tree memory of {@code previous}, a search of the
   * same environment and evaluator that is over and will not be used again: a pool's next problem
   * reuses the pages of the last one's tree instead of growing new ones.
   */
  Mcts(Mcts<S> previous, SearchConfig config) {
    this(previous.environment, previous.evaluator, config, previous);
    checkState(!previous.busy.get(), "the search to take over is still searching");
  }

  private Mcts(Environment<S> environment, Evaluator<S> evaluator, SearchConfig config, Mcts<S> previous) {
    this.environment = checkNotNull(environment, "environment must not be null");
    this.evaluator = checkNotNull(evaluator, "evaluator must not be null");
    this.config = checkNotNull(config, "config must not be null");
    this.actionCount = environment.actionCount();
    this.players = environment.players();
    checkArgument(actionCount > 0, "%s declares %s actions; expected at least 1", environment, actionCount);
    checkArgument(players == 1 || players == 2,
        "%s declares %s players; expected 1 (single agent) or 2 (two-player zero-sum)", environment, players);
    this.rule = config.selection();
    this.scales = previous != null && previous.rule.equals(rule) ? previous.scales : new double[SCALES];
    this.useFirstPlayUrgency = rule.usesFirstPlayUrgency();
    this.solver = config.solver();
    this.provenLoss = solver && players == 2 && config.maxReturn() < Double.POSITIVE_INFINITY
        ? (float) -config.maxReturn()
        : Float.NEGATIVE_INFINITY;
    this.random = new SplittableRandom(config.seed());
    this.tree = previous != null ? previous.tree : Tree.forActions(actionCount);
    this.batch = new EvaluationBatch<>(actionCount);
    this.walker = new Walker();
  }

  /** A search with the default configuration ({@link SearchConfig#defaults()}). */
  public Mcts(Environment<S> environment, Evaluator<S> evaluator) {
    this(environment, evaluator, SearchConfig.defaults());
  }

  /** The configuration. */
  public SearchConfig config() {
    return config;
  }

  /** The evaluator. */
  public Evaluator<S> evaluator() {
    return evaluator;
  }

  /** The environment. */
  public Environment<S> environment() {
    return environment;
  }

  /** Discards the tree and starts a new one at {@code root}. Returns this. */
  public Mcts<S> reset(S root) {
    checkNotNull(root, "root state must not be null");
    checkNotSearching();
    boolean terminal = environment.isTerminal(root);
    tree.reset(root, terminal ? 0 : playerOf(root), terminal);
    rootPriors = null;
    hasRoot = true;
    return this;
  }

  /** The root state. */
  @SuppressWarnings("unchecked")
  public S rootState() {
    checkState(hasRoot, "no root: call reset(rootState) first");
    return (S) tree.stateOf(Tree.ROOT);
  }

  /** A read-only view of the current tree, valid until the next search, advance or reset. */
  public TreeView tree() {
    return tree;
  }

  /**
   * Starts a new tree at {@code root} and searches it.
   *
   * @throws IllegalArgumentException if the root state is terminal
   */
  public SearchResult search(S root, Budget budget) {
    checkNotNull(root, "root state must not be null");
    checkArgument(!environment.isTerminal(root),
        "the root state %s is terminal (%s.isTerminal returned true): there is nothing to search", root,
        environmentName());
    reset(root);
    return search(budget);
  }

  /**
   * Searches from the current root, adding to the tree kept from earlier searches.
   *
   * @throws IllegalStateException if there is no root or the root state is terminal
   */
  public SearchResult search(Budget budget) {
    begin(budget);
    try {
      StopReason reason = stopReason();
      while (reason == null && (config.threads() == 1 || tree.firstChildOf(Tree.ROOT) == Tree.UNEXPANDED)) {
        runBatch(); // a threaded search too starts here: the root is expanded before the threads split
        reason = stopReason();
      }
      if (reason == null) {
        reason = searchWithThreads(config.threads());
      }
      return finish(reason);
    } catch (Throwable e) {
      release();
      throw e;
    }
  }

  /** One batch on the calling thread: gather, evaluate, expand and back up. */
  private void runBatch() {
    batch.clear();
    if (gather(batch) > 0) {
      try {
        evaluator.evaluate(batch);
        batch.checkAndNormalize(evaluator);
      } catch (Throwable e) {
        abandon();
        throw e;
      }
      complete(batch);
    }
  }

  /**
   * Moves the root to the child reached by {@code action}, keeping that child's subtree and its
   * statistics. Works for any legal action, searched or not (an opponent's move, say).
   *
   * @throws IllegalArgumentException if the action is not legal at the root
   * @throws IllegalStateException if there is no root or the root is terminal
   */
  public void advance(int action) {
    checkState(hasRoot, "no root: call reset(rootState) first");
    checkNotSearching();
    checkState(!tree.isTerminal(Tree.ROOT), "the root state %s is terminal: no action can be taken",
        tree.stateOf(Tree.ROOT));
    checkArgument(action >= 0 && action < actionCount,
        "action %s is outside the action space [0, %s)", action, actionCount);
    int child = tree.childFor(Tree.ROOT, action);
    if (child < 0) {
      S root = rootState();
      int[] legal = walker.legal;
      int n = walker.legalActionsOf(root);
      checkArgument(contains(legal, n, action), "action %s is not legal at the root %s; legal actions: %s",
          action, root, Arrays.toString(Arrays.copyOf(legal, n)));
      Transition<S> next = stepFrom(root, action);
      int player = playerAfter(next, Tree.ROOT); // the tree is untouched until both have answered
      tree.expand(Tree.ROOT, legal, new float[n], 0, n); // a placeholder parent for the new root
      child = tree.childFor(Tree.ROOT, action);
      tree.setState(child, next.state(), player, next.terminal(), next.reward());
    } else if (!tree.hasState(child)) {
      computeState(child, Tree.ROOT);
    }
    tree.reroot(child);
    rootPriors = null;
  }

  // ---- the steps of a search, also driven by SearchPool for many trees at once ----

  /** Starts a search with {@code budget} from the current root. */
  void begin(Budget budget) {
    begin(budget, new Interruption(Thread.currentThread()));
  }

  /** Starts a search that stops when {@code interruption} says so (a pool's calling thread's). */
  void begin(Budget budget, Interruption interruption) {
    checkNotNull(budget, "budget must not be null");
    checkState(hasRoot, "no root: call reset(rootState) first");
    checkState(!tree.isTerminal(Tree.ROOT),
        "the root state %s is terminal: there is nothing to search", tree.stateOf(Tree.ROOT));
    checkState(busy.compareAndSet(false, true), "this Mcts is already searching: an Mcts serves one search"
        + " at a time (SearchConfig.threads(n) searches one tree with n threads)");
    this.budget = budget;
    startNanos = System.nanoTime();
    deadline = budget.time() == null ? Long.MAX_VALUE : startNanos + budget.time().toNanos();
    this.interruption = interruption;
    searchRandom = random.split();
    walker.random = searchRandom;
    simulations = evaluatorCalls = evaluations = collisions = leavesInFlight = 0;
    maxDepth = 0;
    totalDepth = 0;
    rootPriors = null;
  }

  /**
   * Why the current search should stop now, or null to go on: never before the root is expanded, so
   * that every search names an action, whatever its budget.
   */
  StopReason stopReason() {
    if (tree.firstChildOf(Tree.ROOT) == Tree.UNEXPANDED) {
      return null;
    }
    if (tree.isProvenOf(Tree.ROOT)) {
      return StopReason.PROVEN;
    }
    if (budget.simulations() == Long.MAX_VALUE && budget.time() == null
        && (tree.open == 0 || simulations >= idleSimulationLimit(budget))) {
      return StopReason.EXHAUSTED; // more simulations would refine values, but no limit can be reached
    }
    if (simulations >= budget.simulations()) {
      return StopReason.SIMULATIONS;
    }
    if (evaluations >= budget.evaluations()) {
      return StopReason.EVALUATIONS;
    }
    if (tree.size >= budget.nodes()) {
      return StopReason.NODES;
    }
    if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
      return StopReason.TIME;
    }
    if (interruption.isRequested()) {
      return StopReason.INTERRUPTED;
    }
    return null;
  }

  /**
   * The simulations a budget of only nodes or evaluations allows: {@link Budget#SIMULATIONS_PER_LIMIT}
   * per node or evaluation of its tighter limit.
   */
  private static long idleSimulationLimit(Budget budget) {
    long limit = Math.min(budget.nodes(), budget.evaluations());
    return limit > Long.MAX_VALUE / Budget.SIMULATIONS_PER_LIMIT ? Long.MAX_VALUE
        : limit * Budget.SIMULATIONS_PER_LIMIT;
  }

  /** Ends the current search and summarises it. */
  SearchResult finish(StopReason reason) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    try {
      return result(reason, elapsed);
    } finally {
      release();
    }
  }

  /** Ends the current search, finished or failed: the tree may be searched, advanced or reset again. */
  void release() {
    budget = null;
    interruption = null;
    busy.set(false);
  }

  private void checkNotSearching() {
    checkState(!busy.get(), "this Mcts is searching: an Mcts serves one search at a time, and its tree may"
        + " not change under it (from another thread or from its own evaluator; SearchConfig.threads(n)"
        + " searches one tree with n threads)");
  }

  /** How many leaves the next batch may gather without overrunning the budget (with those in flight). */
  private int leavesAllowed() {
    long room = Math.min(budget.simulations() - simulations, budget.evaluations() - evaluations)
        - leavesInFlight;
    return (int) Math.max(0, Math.min(config.leavesPerBatch(), room));
  }

  /** The single-threaded walker's {@link Walker#gather}, with at least one leaf. */
  int gather(EvaluationBatch<S> into) {
    return walker.gather(into, Math.max(1, leavesAllowed()));
  }

  /** The single-threaded walker's {@link Walker#complete}. */
  void complete(EvaluationBatch<S> evaluated) {
    walker.complete(evaluated);
  }

  /** The single-threaded walker's {@link Walker#abandon}. */
  void abandon() {
    walker.abandon();
  }

  /**
   * Runs the search on {@code threads} threads (the caller and {@code threads - 1} new ones) until a
   * limit is reached or one of them fails; returns why it stopped or rethrows the first failure.
   */
  private StopReason searchWithThreads(int threads) {
    Sharing sharing = new Sharing();
    List<Walker> walkers = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      Walker w = new Walker();
      w.random = searchRandom.split(); // the evaluators of different threads draw apart
      walkers.add(w);
    }
    HelperThreads.run(threads, interruption, i -> work(walkers.get(i), sharing));
    Failures.rethrow(sharing.failure.get());
    StopReason reason = sharing.stop.get();
    return reason != null ? reason : Objects.requireNonNullElse(stopReason(), StopReason.SIMULATIONS);
  }

  /**
   * What the threads of a threaded search share: the tree's lock; a condition signalled each time a
   * thread lets go of it after changing the tree or ending the search, which a thread whose every
   * descent met another thread's leaf waits for; how the search ended.
   */
  private static final class Sharing {
    /** The longest wait for another thread's change: a safety net, every change signals. */
    static final long WAIT_NANOS = 1_000_000;

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicReference<StopReason> stop = new AtomicReference<>();

    /** Lets go of the tree, waking the threads that wait for a change. */
    void unlock() {
      changed.signalAll();
      lock.unlock();
    }

    /** Waits, holding the lock, until another thread lets go of the tree (or a while has passed). */
    void awaitChange() {
      try {
        changed.awaitNanos(WAIT_NANOS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the stop rule sees it (the caller's thread is the owner)
      }
    }
  }

  /**
   * One thread of a threaded search: claim leaves under the lock, step the environment to them outside
   * it, install their states under it, evaluate outside it, back up under it. The lock covers the
   * tree's updates only: neither the environment nor the evaluator runs under it. A thread whose every
   * descent met a leaf another thread is working on waits for a change instead of spinning.
   */
  private void work(Walker w, Sharing s) {
    EvaluationBatch<S> own = new EvaluationBatch<>(actionCount);
    while (true) {
      int claimed;
      int gathered;
      boolean quiet = false; // the tree was left as it was found: nobody to wake
      s.lock.lock();
      try {
        if (s.failure.get() != null || s.stop.get() != null) {
          return;
        }
        StopReason reason = stopReason();
        if (reason != null) {
          s.stop.compareAndSet(null, reason);
          return;
        }
        int leaves = leavesAllowed();
        if (leaves == 0) {
          return; // the leaves in flight will spend the rest of the budget
        }
        long before = simulations;
        claimed = w.claim(leaves);
        leavesInFlight += claimed;
        if (claimed == 0) { // every descent met another thread's leaf, or ended on a terminal state
          quiet = simulations == before;
          if (quiet && w.blocked) {
            s.awaitChange();
          }
          continue;
        }
      } catch (Throwable e) {
        s.failure.compareAndSet(null, e);
        return;
      } finally {
        if (quiet) {
          s.lock.unlock();
        } else {
          s.unlock();
        }
      }
      Throwable stepFailed = null;
      try {
        w.prepare(); // the environment's steps and legal actions, outside the lock
      } catch (Throwable e) {
        stepFailed = e;
      }
      s.lock.lock();
      try {
        leavesInFlight -= claimed;
        if (stepFailed != null) {
          w.abandon();
          s.failure.compareAndSet(null, stepFailed);
          return;
        }
        own.clear();
        gathered = w.install(own);
        leavesInFlight += gathered;
      } catch (Throwable e) {
        s.failure.compareAndSet(null, e);
        return;
      } finally {
        s.unlock();
      }
      if (gathered == 0) {
        continue; // every leaf claimed was terminal, and is backed up
      }
      Throwable failed = null;
      try {
        evaluator.evaluate(own);
        own.checkAndNormalize(evaluator);
      } catch (Throwable e) {
        failed = e;
      }
      s.lock.lock();
      try {
        leavesInFlight -= gathered;
        if (failed == null) {
          w.complete(own);
        } else {
          w.abandon();
          s.failure.compareAndSet(null, failed);
          return;
        }
      } catch (Throwable e) {
        s.failure.compareAndSet(null, e);
        return;
      } finally {
        s.unlock();
      }
    }
  }

  /** {@code rowOf} of a claimed leaf already backed up (a terminal state): nothing to undo. */
  private static final int RESOLVED = -1;
  /** {@code rowOf} of a claimed leaf not yet in a batch. */
  private static final int UNROWED = -2;

  /**
   * The scratch space of one thread's batches: the paths of the leaves it gathered, the paths that
   * collided, and buffers for legal actions. A single-threaded search has one; a threaded search one
   * per thread.
   */
  private final class Walker {
    final int[] legal = new int[actionCount];
    private final int[] seen = new int[actionCount];
    private int seenStamp;
    private int[] paths = new int[256]; // the paths of the current batch, one after the other
    private int[] pathStart = new int[9]; // row -> start of its path; pathStart[rows] is the end
    private int[] collided = new int[64]; // the nodes of collided paths, which hold virtual loss
    private int collidedEnd;
    private boolean virtualLoss;
    private int rows; // leaves gathered and not yet completed or abandoned
    private int completed; // of those, the ones already expanded and backed up
    private int batchRows; // of those, the ones in the batch (a threaded search's terminal leaves are not)
    boolean blocked; // the last claim found no leaf: every descent met a leaf already claimed
    private int[] rowOf = new int[8]; // leaf -> its batch row, or RESOLVED or UNROWED (threaded searches)
    // A threaded search's claimed leaves, per leaf: the state to evaluate, or, for a leaf reached for the
    // first time, its parent's state and its action, then the environment's transition to it; the
    // player to move there (the parent's, until the step says otherwise); its legal actions.
    private Object[] rowStates = new Object[8];
    private Object[] rowParents = new Object[8];
    private int[] rowActions = new int[8];
    @SuppressWarnings("unchecked")
    private Transition<S>[] rowSteps = new Transition[8];
    private int[] rowPlayers = new int[8];
    private int[] rowLegal = new int[0]; // one leaf's after another's
    private int[] rowLegalStarts = new int[8];
    private int[] rowLegalCounts = new int[8];
    SplittableRandom random; // handed to the evaluator with each of this walker's rows

    /**
     * Selects up to {@code leaves} leaves and appends the ones that need an evaluation to {@code into},
     * marking their paths with virtual loss when they may be selected again before their evaluation.
     * Descents that end in a terminal state are backed up at once. Returns the number of rows appended;
     * they must be followed by {@link #complete} once evaluated, or by {@link #abandon}.
     */
    int gather(EvaluationBatch<S> into, int leaves) {
      long nodeLimit = startBatch(leaves > 1 || config.threads() > 1);
      int pathEnd = 0;
      int batchCollisions = 0;
      try {
        for (int i = 0; i < leaves && batchCollisions < leaves; i++) {
          if (gatheringEnds(i, nodeLimit)) {
            break;
          }
          int length = descend(pathEnd);
          int leaf = paths[pathEnd + length - 1];
          boolean found = !tree.hasStateOf(leaf);
          if (found) {
            computeState(leaf, paths[pathEnd + length - 2]);
          }
          if (tree.isProvenOf(leaf)) { // a terminal state, or a node the solver decided: its value is exact
            backupExact(pathEnd, length, found);
            continue;
          }
          if (tree.isPending(leaf)) {
            holdCollided(pathEnd, length);
            batchCollisions++;
            i--; // a collision gathers no leaf
            continue;
          }
          @SuppressWarnings("unchecked")
          S state = (S) tree.stateOf(leaf);
          int n = legalActionsOf(state);
          int row = into.add(state, tree.playerOf(leaf), legal, n, random);
          pathEnd = claim(leaf, pathEnd, length);
          rowOf[rows - 1] = row;
        }
      } catch (Throwable e) {
        abandon();
        throw e;
      }
      if (rows == 0) {
        releaseCollided();
      }
      batchRows = rows;
      return rows;
    }

    // ---- a threaded search's gather: claim under the lock, prepare outside it, install under it ----

    /**
     * A threaded search's first phase, under the tree's lock: selects up to {@code leaves} leaves as
     * {@link #gather} does and claims them, but calls no environment: a leaf reached for the first time
     * keeps its parent's state and its action for {@link #prepare}. Descents that end on a state known
     * to be terminal are backed up at once. Returns the number of leaves claimed, to be followed by
     * {@link #prepare} and {@link #install}, or by {@link #abandon}.
     */
    int claim(int leaves) {
      long nodeLimit = startBatch(true);
      int pathEnd = 0;
      int batchCollisions = 0;
      try {
        for (int i = 0; i < leaves && batchCollisions < leaves; i++) {
          if (gatheringEnds(i, nodeLimit)) {
            break;
          }
          int length = descend(pathEnd);
          int leaf = paths[pathEnd + length - 1];
          if (tree.isPending(leaf)) { // claimed already, by this thread or another, perhaps without a state
            holdCollided(pathEnd, length);
            batchCollisions++;
            i--;
            continue;
          }
          if (tree.isProvenOf(leaf)) { // never a leaf without a state yet
            backupExact(pathEnd, length, false);
            continue;
          }
          int r = rows;
          boolean found = !tree.hasStateOf(leaf);
          int parent = found ? paths[pathEnd + length - 2] : leaf;
          pathEnd = claim(leaf, pathEnd, length);
          rowSteps[r] = null;
          rowStates[r] = found ? null : tree.stateOf(leaf);
          rowParents[r] = found ? tree.stateOf(parent) : null;
          rowActions[r] = tree.actionOf(leaf);
          rowPlayers[r] = tree.playerOf(parent); // the leaf's own, if it has a state
        }
      } catch (Throwable e) {
        abandon();
        throw e;
      }
      blocked = rows == 0 && batchCollisions > 0;
      if (rows == 0) {
        releaseCollided();
      }
      return rows;
    }

    /** Empties this walker for a new batch, with or without virtual loss; returns the node limit. */
    private long startBatch(boolean withVirtualLoss) {
      virtualLoss = withVirtualLoss;
      rows = 0;
      completed = 0;
      collidedEnd = 0;
      return budget.nodes();
    }

    /**
     * Whether a batch stops gathering before its {@code i}-th descent: a node limit met (after the
     * first descent), or a root proven. Draws the root's noise first if it is due.
     */
    private boolean gatheringEnds(int i, long nodeLimit) {
      if (i > 0 && tree.size >= nodeLimit || tree.isProvenOf(Tree.ROOT)) {
        return true;
      }
      if (rootPriors == null && config.rootNoise().enabled() && tree.firstChildOf(Tree.ROOT) != Tree.UNEXPANDED) {
        drawRootNoise();
      }
      return false;
    }

    /**
     * Backs up a descent that ended on a proven node (a terminal state or a node the solver decided:
     * its value is exact) and, if the node was just reached ({@code found}), what it proves above it.
     */
    private void backupExact(int from, int length, boolean found) {
      backup(paths, from, length, tree.valueOf(paths[from + length - 1]), false);
      if (solver && found) {
        prove(paths, from, length);
      }
      simulations++;
      totalDepth += length - 1;
    }

    /** Expands and backs up the rows gathered by {@link #gather}, once {@code batch} is evaluated. */
    void complete(EvaluationBatch<S> evaluated) {
      try {
        if (batchRows > 0) {
          evaluatorCalls++;
          evaluations += batchRows;
          batchRows = 0;
        }
        for (int r = completed; r < rows; r++) {
          int row = rowOf[r];
          if (row >= 0) {
            int from = pathStart[r];
            int length = pathStart[r + 1] - from;
            int leaf = paths[from + length - 1];
            tree.expand(leaf, evaluated.legalArray(), evaluated.priorArray(), evaluated.legalStart(row),
                evaluated.legalCount(row));
            tree.setPending(leaf, false);
            backup(paths, from, length, evaluated.value(row), virtualLoss);
            simulations++;
            totalDepth += length - 1;
          }
          completed++;
        }
        releaseCollided();
      } catch (Throwable e) {
        abandon();
        throw e;
      }
      rows = 0;
    }

    /** Drops the gathered rows not yet completed: no pending mark or virtual loss is left behind. */
    void abandon() {
      for (int r = completed; r < rows; r++) {
        if (rowOf[r] != RESOLVED) {
          unclaim(r);
        }
      }
      rows = 0;
      completed = 0;
      batchRows = 0;
      clearRows();
      releaseCollided();
    }

    /**
     * Marks the leaf ending the path at {@code paths[from..from+length)} as awaiting its evaluation
     * (pending, and virtual loss along the path when needed) and records the path as the next row;
     * returns the end of the paths.
     */
    private int claim(int leaf, int from, int length) {
      int r = rows;
      if (r + 2 > pathStart.length) {
        pathStart = Arrays.copyOf(pathStart, pathStart.length * 2);
      }
      if (r == rowOf.length) {
        int n = rowOf.length * 2;
        rowOf = Arrays.copyOf(rowOf, n);
        rowStates = Arrays.copyOf(rowStates, n);
        rowParents = Arrays.copyOf(rowParents, n);
        rowActions = Arrays.copyOf(rowActions, n);
        rowSteps = Arrays.copyOf(rowSteps, n);
        rowPlayers = Arrays.copyOf(rowPlayers, n);
        rowLegalStarts = Arrays.copyOf(rowLegalStarts, n);
        rowLegalCounts = Arrays.copyOf(rowLegalCounts, n);
      }
      pathStart[r + 1] = from + length;
      rowOf[r] = UNROWED;
      tree.setPending(leaf, true);
      if (virtualLoss) {
        for (int p = from; p < from + length; p++) {
          tree.addInFlight(paths[p], 1);
        }
      }
      rows = r + 1;
      return from + length;
    }

    /** Undoes {@link #claim} for row {@code r}: no pending mark or virtual loss is left behind. */
    private void unclaim(int r) {
      int end = pathStart[r + 1];
      tree.setPending(paths[end - 1], false);
      if (virtualLoss) {
        for (int p = pathStart[r]; p < end; p++) {
          tree.addInFlight(paths[p], -1);
        }
      }
    }

    /** Drops the states a threaded search's rows refer to, so the tree alone keeps them alive. */
    private void clearRows() {
      Arrays.fill(rowStates, null);
      Arrays.fill(rowParents, null);
      Arrays.fill(rowSteps, null);
    }

    /**
     * A threaded search's second phase, outside the lock: steps the environment to each claimed leaf
     * reached for the first time and asks for the legal actions of each claimed leaf that is not
     * terminal. Reads nothing of the tree. If it throws, {@link #abandon} under the lock.
     */
    @SuppressWarnings("unchecked")
    void prepare() {
      int at = 0;
      for (int r = 0; r < rows; r++) {
        S state;
        if (rowStates[r] == null) {
          Transition<S> t = stepFrom((S) rowParents[r], rowActions[r]);
          rowSteps[r] = t;
          if (t.terminal()) {
            continue; // it keeps its parent's player
          }
          state = t.state();
          rowPlayers[r] = playerOf(state);
        } else {
          state = (S) rowStates[r];
        }
        int n = legalActionsOf(state);
        if (at + n > rowLegal.length) {
          rowLegal = Arrays.copyOf(rowLegal, Math.max(2 * rowLegal.length, at + n));
        }
        System.arraycopy(legal, 0, rowLegal, at, n);
        rowLegalStarts[r] = at;
        rowLegalCounts[r] = n;
        at += n;
      }
    }

    /**
     * A threaded search's third phase, under the lock: gives each claimed leaf reached for the first
     * time its state, backs up those that are terminal at once and appends the others to {@code into}.
     * Returns the rows appended, to be followed by {@link #complete} or {@link #abandon}.
     */
    @SuppressWarnings("unchecked")
    int install(EvaluationBatch<S> into) {
      int appended = 0;
      try {
        for (int r = 0; r < rows; r++) {
          int from = pathStart[r];
          int length = pathStart[r + 1] - from;
          int leaf = paths[from + length - 1];
          Transition<S> t = rowSteps[r];
          S state = (S) rowStates[r];
          if (t != null) {
            tree.setState(leaf, t.state(), rowPlayers[r], t.terminal(), t.reward());
            state = t.state();
            if (t.terminal()) {
              unclaim(r);
              rowOf[r] = RESOLVED;
              backupExact(from, length, true);
              continue;
            }
          }
          int n = rowLegalCounts[r];
          System.arraycopy(rowLegal, rowLegalStarts[r], legal, 0, n);
          rowOf[r] = into.add(state, rowPlayers[r], legal, n, random);
          appended++;
        }
      } catch (Throwable e) {
        abandon();
        throw e;
      }
      clearRows();
      if (appended == 0) {
        rows = 0;
        releaseCollided();
      }
      batchRows = appended;
      return appended;
    }

    /** Counts a collision and gives its path virtual loss until the end of the batch. */
    private void holdCollided(int from, int length) {
      collisions++;
      if (collidedEnd + length > collided.length) {
        collided = Arrays.copyOf(collided, Math.max(collided.length * 2, collidedEnd + length));
      }
      for (int p = from; p < from + length; p++) {
        tree.addInFlight(paths[p], 1);
        collided[collidedEnd++] = paths[p];
      }
    }

    private void releaseCollided() {
      for (int i = 0; i < collidedEnd; i++) {
        tree.addInFlight(collided[i], -1);
      }
      collidedEnd = 0;
    }

    /** Walks from the root to an unexpanded node; writes the path at {@code paths[at..]}; returns its length. */
    private int descend(int at) {
      int node = Tree.ROOT;
      int length = 0;
      while (true) {
        if (at + length == paths.length) {
          paths = Arrays.copyOf(paths, paths.length * 2);
        }
        paths[at + length++] = node;
        if (tree.firstChildOf(node) == Tree.UNEXPANDED || tree.isProvenOf(node)) {
          maxDepth = Math.max(maxDepth, length - 1);
          return length;
        }
        node = selectChild(node);
      }
    }

    /** Asks for the legal actions of a non-terminal state, into {@link #legal}, and checks them. */
    int legalActionsOf(S state) {
      int n = environment.legalActions(state, legal);
      if (n < 1 || n > actionCount) {
        throw new IllegalStateException(String.format("%s.legalActions returned %d for state %s, which the"
            + " environment reported as not terminal (isTerminal, or the Transition that reached it);"
            + " expected 1 to %d", environmentName(), n, state, actionCount));
      }
      if (++seenStamp == Integer.MAX_VALUE) {
        Arrays.fill(seen, 0);
        seenStamp = 1;
      }
      for (int k = 0; k < n; k++) {
        int a = legal[k];
        if (a < 0 || a >= actionCount) {
          throw new IllegalStateException(String.format("%s.legalActions gave action %d for state %s, outside"
              + " the action space [0, %d)", environmentName(), a, state, actionCount));
        }
        if (seen[a] == seenStamp) {
          throw new IllegalStateException(String.format("%s.legalActions gave action %d twice for state %s",
              environmentName(), a, state));
        }
        seen[a] = seenStamp;
      }
      return n;
    }
  }

  // ---- select and back up ----

  private int selectChild(int node) {
    final Tree t = tree;
    int first = t.firstChildOf(node);
    int count = t.childCountOf(node);
    int[] hot = t.hotPage(first); // the children's hot records, one after the other
    int base = t.hotIndex(first);
    int nodeVisits = t.visitsOf(node);
    int parentVisits = Math.max(1, nodeVisits + t.inFlightOf(node));
    double scale;
    if (parentVisits < SCALES) {
      scale = scales[parentVisits];
      if (scale == 0) { // not met yet (or a rule whose scale is 0 there: computed each time, still right)
        scale = scales[parentVisits] = rule.scale(parentVisits);
      }
    } else {
      scale = rule.scale(parentVisits);
    }
    double fpu = useFirstPlayUrgency
        ? config.firstPlayUrgency().of(nodeVisits == 0 ? 0 : t.valueOf(node))
        : 0;
    double lossValue = config.virtualLoss();
    double[] noisy = node == Tree.ROOT ? rootPriors : null;
    int best = base;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = base, end = base + count * Tree.HOT; i < end; i += Tree.HOT) {
      int n = hot[i + Tree.VISITS];
      int flight = hot[i + Tree.IN_FLIGHT];
      if (n == 0 && flight == 0 && noisy == null) {
        // The first untried child: the children are in order of decreasing prior and the tried ones
        // come first (Tree.expand), so every later child is untried too, with no higher a score.
        if (rule.score(fpu, 0, Float.intBitsToFloat(hot[i + Tree.PRIOR]), scale) > bestScore) {
          best = i;
        }
        break;
      }
      if ((flight & Tree.PROVEN) != 0 && Float.intBitsToFloat(hot[i + Tree.Q]) <= provenLoss) {
        continue; // never a proven loss while another move is not (then the node would be proven)
      }
      int pending = flight & Tree.IN_FLIGHT_MASK;
      double q;
      if (n == 0) {
        q = pending == 0 ? fpu : lossValue;
      } else {
        q = Float.intBitsToFloat(hot[i + Tree.Q]);
        if (pending > 0) {
          q = (q * n + lossValue * pending) / (n + pending);
        }
      }
      double prior =
          noisy == null ? Float.intBitsToFloat(hot[i + Tree.PRIOR]) : noisy[(i - base) / Tree.HOT];
      double score = rule.score(q, n + pending, prior, scale);
      boolean better = score > bestScore; // as conditional moves: which child wins is unpredictable
      best = better ? i : best;
      bestScore = better ? score : bestScore;
    }
    return first + (best - base) / Tree.HOT;
  }

  /** Adds {@code value} (from the leaf's player's point of view) to every node of a path. */
  private void backup(int[] path, int from, int length, double value, boolean removeVirtualLoss) {
    final Tree t = tree;
    double discount = config.discount();
    double g = value; // the return from the point of view of path[i]'s player
    for (int i = from + length - 1; i >= from; i--) {
      int n = path[i];
      double q = g; // the same return from the point of view of the parent's player
      if (i > from) {
        q = t.rewardOf(n) + discount * (t.playerOf(n) == t.playerOf(path[i - 1]) ? g : -g);
      }
      t.addVisit(n, g, q, removeVirtualLoss);
      g = q;
    }
  }

  /**
   * Proves what the leaf of a path, just proven, decides above it (MCTS-Solver): a node is proven when
   * a child is proven at {@link SearchConfig#maxReturn()} (the node's player takes it), or when all its
   * children are (its exact value is then the best of theirs). Stops at the first node not proven.
   */
  private void prove(int[] path, int from, int length) {
    final Tree t = tree;
    float maxReturn = (float) config.maxReturn();
    for (int i = from + length - 2; i >= from; i--) {
      int node = path[i];
      float value = t.qOf(path[i + 1]); // the proven child's exact Q, from this node's point of view
      if (value < maxReturn) {
        int first = t.firstChildOf(node);
        for (int c = first, end = first + t.childCountOf(node); c < end; c++) {
          if (!t.isProvenOf(c)) {
            return;
          }
          value = Math.max(value, t.qOf(c));
        }
      }
      float q = value;
      if (i > from) {
        q = (float) (t.rewardOf(node)
            + config.discount() * (t.playerOf(node) == t.playerOf(path[i - 1]) ? value : -value));
      }
      t.prove(node, value, q);
    }
  }

  /** Steps the environment from {@code parent}'s state along the action that leads to {@code node}. */
  private void computeState(int node, int parent) {
    @SuppressWarnings("unchecked")
    S from = (S) tree.stateOf(parent);
    Transition<S> t = stepFrom(from, tree.actionOf(node));
    tree.setState(node, t.state(), playerAfter(t, parent), t.terminal(), t.reward());
  }

  private Transition<S> stepFrom(S from, int act) {
    Transition<S> t = environment.step(from, act);
    if (t == null) {
      throw new IllegalStateException(environmentName() + ".step returned null for action "
          + act + " in state " + from);
    }
    return t;
  }

  /** The player to move after {@code t} from {@code parent}: a terminal state keeps the parent's. */
  private int playerAfter(Transition<S> t, int parent) {
    return t.terminal() ? tree.playerOf(parent) : playerOf(t.state());
  }

  /** The environment's class name for messages: its simple name, or its full name if it has none. */
  private String environmentName() {
    Class<?> type = environment.getClass();
    return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
  }

  private int playerOf(S state) {
    int player = environment.toPlay(state);
    if (player < 0 || player >= players) {
      throw new IllegalStateException(String.format("%s.toPlay returned %d for state %s; expected a player in"
          + " [0, %d)", environmentName(), player, state, players));
    }
    return player;
  }

  private void drawRootNoise() {
    int first = tree.firstChildOf(Tree.ROOT);
    int n = tree.childCountOf(Tree.ROOT);
    double[] priors = new double[n];
    for (int k = 0; k < n; k++) {
      priors[k] = tree.priorOf(first + k);
    }
    config.rootNoise().apply(priors, n, searchRandom);
    rootPriors = priors;
  }

  // ---- the result ----

  private SearchResult result(StopReason reason, Duration elapsed) {
    final Tree t = tree;
    int first = t.firstChildOf(Tree.ROOT);
    int n = t.childCountOf(Tree.ROOT);
    MutableList<ActionStats> actions = Lists.mutable.withInitialCapacity(n);
    for (int c = first; c < first + n; c++) {
      actions.add(new ActionStats(t.actionOf(c), t.visitsOf(c), q(c), t.priorOf(c)));
    }
    actions.sortThisByInt(ActionStats::action); // the tree keeps children by prior
    int chosen = config.temperature() > 0 ? sample(first, n) : best(Tree.ROOT);
    MutableIntList pv = IntLists.mutable.empty();
    for (int node = Tree.ROOT; t.firstChildOf(node) != Tree.UNEXPANDED; ) {
      int child = best(node);
      if (t.visitsOf(child) == 0) {
        break;
      }
      pv.add(t.actionOf(child));
      node = child;
    }
    double value = t.visitsOf(Tree.ROOT) == 0 ? 0 : t.valueOf(Tree.ROOT);
    SearchStats stats = new SearchStats(simulations, t.size, evaluatorCalls, evaluations, collisions,
        maxDepth, simulations == 0 ? 0 : (double) totalDepth / simulations, elapsed, reason);
    return new SearchResult(t.actionOf(chosen), value, actionCount, actions.toImmutable(), pv.toImmutable(),
        stats);
  }

  /** The Q of {@code child} (from the point of view of its parent's player), or NaN if unvisited. */
  private double q(int child) {
    return tree.visitsOf(child) == 0 ? Double.NaN : tree.qOf(child);
  }

  /**
   * The child to play at {@code node}: the one with most visits, ties going to the higher Q, then the
   * higher prior, then the first. With the solver, at a proven node only the proven children that reach
   * its value compete, and elsewhere a proven loss only when every child is one.
   */
  private int best(int node) {
    final Tree t = tree;
    int first = t.firstChildOf(node);
    int end = first + t.childCountOf(node);
    boolean proven = solver && t.isProvenOf(node);
    int best = -1;
    for (int c = first; c < end; c++) {
      boolean excluded = proven
          ? !t.isProvenOf(c) || t.qOf(c) != t.valueOf(node)
          : isProvenLoss(c);
      if (!excluded && (best < 0 || moreVisited(c, best))) {
        best = c;
      }
    }
    if (best < 0) { // every child is a proven loss
      best = first;
      for (int c = first + 1; c < end; c++) {
        best = moreVisited(c, best) ? c : best;
      }
    }
    return best;
  }

  private boolean isProvenLoss(int child) {
    return tree.isProvenOf(child) && tree.qOf(child) <= provenLoss;
  }

  /** Whether {@code c} has more visits than {@code best}, or as many and a higher Q, or a higher prior. */
  private boolean moreVisited(int c, int best) {
    final Tree t = tree;
    int visits = t.visitsOf(c);
    int bestVisits = t.visitsOf(best);
    if (visits != bestVisits) {
      return visits > bestVisits;
    }
    double qc = visits == 0 ? Double.NEGATIVE_INFINITY : t.qOf(c);
    double qb = bestVisits == 0 ? Double.NEGATIVE_INFINITY : t.qOf(best);
    return qc > qb || (qc == qb && t.priorOf(c) > t.priorOf(best));
  }

  /**
   * Samples a root child with probability proportional to {@code visits^(1/temperature)}; with the
   * solver, a proven root plays a child that reaches its value and a proven loss gets no weight.
   */
  private int sample(int first, int n) {
    final Tree t = tree;
    if (solver && t.isProvenOf(Tree.ROOT)) {
      return best(Tree.ROOT);
    }
    int maxVisits = 0;
    for (int c = first; c < first + n; c++) {
      maxVisits = Math.max(maxVisits, t.visitsOf(c));
    }
    if (maxVisits == 0) {
      return best(Tree.ROOT);
    }
    double inverseTemperature = 1 / config.temperature();
    double[] weights = new double[n];
    double total = 0;
    for (int k = 0; k < n; k++) {
      int v = isProvenLoss(first + k) ? 0 : t.visitsOf(first + k);
      weights[k] = v == 0 ? 0 : Math.exp(inverseTemperature * Math.log((double) v / maxVisits));
      total += weights[k];
    }
    double u = searchRandom.nextDouble() * total;
    for (int k = 0; k < n; k++) {
      u -= weights[k];
      if (u < 0 && weights[k] > 0) {
        return first + k;
      }
    }
    return best(Tree.ROOT);
  }

  private static boolean contains(int[] values, int n, int value) {
    for (int i = 0; i < n; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }
}
