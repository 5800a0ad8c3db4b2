package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.ponder.mcts.select.FirstPlayUrgency;
import dev.ponder.mcts.select.Puct;
import dev.ponder.mcts.select.RootNoise;
import dev.ponder.mcts.select.SelectionRule;

/**
 * Everything that shapes a search apart from its budget. Immutable; build with {@link #builder()}, whose
 * setters check their argument at once and name the setting in the error.
 *
 * @param selection how a node picks the child to descend into: {@link Puct} or {@code Ucb1}
 * @param firstPlayUrgency the value assumed for unvisited children (for rules that use it)
 * @param discount discount per step in {@code [0, 1]}
 * @param rootNoise Dirichlet noise mixed into the root's priors at the start of every search
 * @param temperature 0 picks the most visited action; above 0 samples with probability proportional to
 *     {@code visits^(1/temperature)}
 * @param leavesPerBatch K, the leaves gathered with virtual loss for one evaluator call (1: one by one)
 * @param virtualLoss the value, from the parent's point of view, assumed for each visit in flight
 * @param threads threads searching one tree at once (1: the deterministic default; more is opt-in,
 *     needs a thread-safe evaluator and environment and gives results that depend on timing)
 * @param seed the seed of every random choice the search makes (noise, sampling, rollouts)
 * @param solver whether the search proves values (MCTS-Solver): a node whose value is decided by its
 *     children is marked proven with its exact value, descents stop at proven nodes, a proven loss is
 *     never chosen while another move is not, and the search stops once the root is proven
 * @param maxReturn the best return any player can get from any state (1 in a game won with a reward of
 *     1), or infinity if unknown: with the solver, a child proven at this value proves its parent at once;
 *     otherwise a node is proven only when all its children are
 */
public record SearchConfig(
    SelectionRule selection,
    FirstPlayUrgency firstPlayUrgency,
    double discount,
    RootNoise rootNoise,
    double temperature,
    int leavesPerBatch,
    double virtualLoss,
    int threads,
    long seed,
    boolean solver,
    double maxReturn) {

  /** The most threads a search (or a parallel pool) may use: each is a platform thread of its own. */
  public static final int MAX_THREADS = 1024;

  /** Checks every setting. */
  public SearchConfig {
    checkNotNull(selection, "selection must not be null");
    checkNotNull(firstPlayUrgency, "firstPlayUrgency must not be null");
    checkNotNull(rootNoise, "rootNoise must not be null");
    checkArgument(discount >= 0 && discount <= 1, "discount must be in [0, 1], was %s", discount);
    checkArgument(temperature >= 0 && Double.isFinite(temperature),
        "temperature must be finite and non-negative, was %s", temperature);
    checkArgument(leavesPerBatch >= 1, "leavesPerBatch must be at least 1, was %s", leavesPerBatch);
    checkArgument(Double.isFinite(virtualLoss), "virtualLoss must be finite, was %s", virtualLoss);
    checkArgument(threads >= 1 && threads <= MAX_THREADS, "threads must be in [1, %s], was %s", MAX_THREADS,
        threads);
    checkArgument(!Double.isNaN(maxReturn) && maxReturn > Double.NEGATIVE_INFINITY,
        "maxReturn must be a number above -infinity, was %s", maxReturn);
  }

  /** The defaults: AlphaZero PUCT, FPU = parent value, no discount, no noise, most visits, K = 1. */
  public static SearchConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link SearchConfig}; each setter validates its argument. */
  public static final class Builder {
    private SelectionRule selection = Puct.alphaZero();
    private FirstPlayUrgency firstPlayUrgency = FirstPlayUrgency.parentMinus(0);
    private double discount = 1.0;
    private RootNoise rootNoise = RootNoise.none();
    private double temperature = 0;
    private int leavesPerBatch = 1;
    private double virtualLoss = -1;
    private int threads = 1;
    private long seed = 0;
    private boolean solver = false;
    private double maxReturn = Double.POSITIVE_INFINITY;

    private Builder() {}

    private Builder(SearchConfig c) {
      selection = c.selection;
      firstPlayUrgency = c.firstPlayUrgency;
      discount = c.discount;
      rootNoise = c.rootNoise;
      temperature = c.temperature;
      leavesPerBatch = c.leavesPerBatch;
      virtualLoss = c.virtualLoss;
      threads = c.threads;
      seed = c.seed;
      solver = c.solver;
      maxReturn = c.maxReturn;
    }

    /** The selection rule; default {@link Puct#alphaZero()}. */
    public Builder selection(SelectionRule rule) {
      this.selection = checkNotNull(rule, "selection must not be null");
      return this;
    }

    /** First-play urgency; default the parent's value ({@code FirstPlayUrgency.parentMinus(0)}). */
    public Builder firstPlayUrgency(FirstPlayUrgency fpu) {
      this.firstPlayUrgency = checkNotNull(fpu, "firstPlayUrgency must not be null");
      return this;
    }

    /** Discount per step in {@code [0, 1]}; default 1. */
    public Builder discount(double discount) {
      checkArgument(discount >= 0 && discount <= 1, "discount must be in [0, 1], was %s", discount);
      this.discount = discount;
      return this;
    }

    /** Root noise; default none. */
    public Builder rootNoise(RootNoise noise) {
      this.rootNoise = checkNotNull(noise, "rootNoise must not be null");
      return this;
    }

    /** Temperature of the final choice; 0 (default) takes the most visited action. */
    public Builder temperature(double temperature) {
      checkArgument(temperature >= 0 && Double.isFinite(temperature),
          "temperature must be finite and non-negative, was %s", temperature);
      this.temperature = temperature;
      return this;
    }

    /** Leaves per evaluator call, gathered with virtual loss; default 1. */
    public Builder leavesPerBatch(int k) {
      checkArgument(k >= 1, "leavesPerBatch must be at least 1, was %s", k);
      this.leavesPerBatch = k;
      return this;
    }

    /** Value assumed per visit in flight, from the parent's point of view; default -1 (a loss). */
    public Builder virtualLoss(double value) {
      checkArgument(Double.isFinite(value), "virtualLoss must be finite, was %s", value);
      this.virtualLoss = value;
      return this;
    }

    /**
     * Threads searching one tree at once, 1 to {@value SearchConfig#MAX_THREADS}; default 1. Above 1 the
     * evaluator and the environment must be thread-safe (both are called outside the tree's lock) and
     * results depend on timing (not reproducible).
     */
    public Builder threads(int threads) {
      checkArgument(threads >= 1 && threads <= MAX_THREADS, "threads must be in [1, %s], was %s",
          MAX_THREADS, threads);
      this.threads = threads;
      return this;
    }

    /** Seed of the search's random choices; default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether to prove values (MCTS-Solver); default off. Proofs are exact game values, so they need
     * an environment whose returns are decided by its rewards and terminal states (not a learned model
     * or a noisy simulator).
     */
    public Builder solver(boolean solver) {
      this.solver = solver;
      return this;
    }

    /**
     * The best return any player can get from any state (1 in a game won with a reward of 1); default
     * infinity (unknown). With the {@linkplain #solver solver}, a move proven to reach it proves its
     * parent at once, without waiting for the other moves to be proven.
     */
    public Builder maxReturn(double maxReturn) {
      checkArgument(!Double.isNaN(maxReturn) && maxReturn > Double.NEGATIVE_INFINITY,
          "maxReturn must be a number above -infinity, was %s", maxReturn);
      this.maxReturn = maxReturn;
      return this;
    }

    /** The configuration. */
    public SearchConfig build() {
      return new SearchConfig(selection, firstPlayUrgency, discount, rootNoise, temperature,
          leavesPerBatch, virtualLoss, threads, seed, solver, maxReturn);
    }
  }
}
