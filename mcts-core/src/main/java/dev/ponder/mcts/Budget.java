package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How much one search may spend: simulations, tree nodes, evaluated states and wall time, in any
 * combination; the search stops at whichever limit it reaches first and says which in
 * {@link SearchStats#stopReason()}. Unset limits are {@link Long#MAX_VALUE} (or no time limit).
 *
 * <pre>{@code
 * Budget b = Budget.simulations(800).orTime(Duration.ofMillis(200));
 * }</pre>
 *
 * <p>Simulations and evaluations count what this search does; nodes count the whole tree, including
 * what was kept from an earlier search. The node limit is checked before each leaf, so the tree may end
 * up to one expansion per leaf in flight above it: per leaf in a batch, and with threads per leaf in
 * every thread's batch. A search whose root is not yet expanded always runs one batch, whatever its
 * limits, so that every search names an action; one whose root is expanded and whose limit is already
 * reached (a kept tree over the node limit) stops at once. A budget with neither a simulation nor a
 * time limit also ends after {@value #SIMULATIONS_PER_LIMIT} simulations per node or evaluation of its
 * limit ({@link StopReason#EXHAUSTED}). A time limit makes a search depend on the machine: for
 * reproducible results use the other limits.
 *
 * @param simulations simulations (leaves evaluated or terminal leaves reached) this search may run
 * @param nodes nodes the tree may hold
 * @param evaluations states this search may send to the evaluator
 * @param time wall time this search may take, or null for no limit
 */
public record Budget(long simulations, long nodes, long evaluations, Duration time) {

  /**
   * Simulations a search whose budget has neither a simulation nor a time limit may run per node (or
   * evaluation) of its limit: a descent that ends in a terminal state adds no node and needs no
   * evaluation, so a search that keeps choosing such a line (a winning move, say) would otherwise
   * approach its limit ever more slowly. Such a search stops with {@link StopReason#EXHAUSTED}.
   */
  public static final long SIMULATIONS_PER_LIMIT = 100;

  private static final long UNLIMITED = Long.MAX_VALUE;
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

  /** Checks that every limit is positive and that at least one is set. */
  public Budget {
    checkArgument(simulations > 0, "simulations budget must be positive, was %s", simulations);
    checkArgument(nodes > 0, "nodes budget must be positive, was %s", nodes);
    checkArgument(evaluations > 0, "evaluations budget must be positive, was %s", evaluations);
    checkArgument(time == null || (!time.isNegative() && !time.isZero()),
        "time budget must be positive, was %s", time);
    checkArgument(time == null || time.compareTo(LONGEST) <= 0,
        "time budget must be at most Long.MAX_VALUE nanoseconds (about 292 years), was %s", time);
    checkArgument(time != null || simulations != UNLIMITED || nodes != UNLIMITED
        || evaluations != UNLIMITED, "a budget needs at least one limit (Long.MAX_VALUE is none)");
  }

  /** At most {@code n} simulations. */
  public static Budget simulations(long n) {
    return new Budget(n, UNLIMITED, UNLIMITED, null);
  }

  /** At most {@code n} tree nodes. */
  public static Budget nodes(long n) {
    return new Budget(UNLIMITED, n, UNLIMITED, null);
  }

  /** At most {@code n} evaluated states. */
  public static Budget evaluations(long n) {
    return new Budget(UNLIMITED, UNLIMITED, n, null);
  }

  /** At most {@code time} of wall time. */
  public static Budget time(Duration time) {
    return new Budget(UNLIMITED, UNLIMITED, UNLIMITED, checkNotNull(time, "time"));
  }

  /** This budget, also limited to {@code n} simulations (a limit it has already stays if tighter). */
  public Budget orSimulations(long n) {
    return new Budget(Math.min(n, simulations), nodes, evaluations, time);
  }

  /** This budget, also limited to {@code n} tree nodes (a limit it has already stays if tighter). */
  public Budget orNodes(long n) {
    return new Budget(simulations, Math.min(n, nodes), evaluations, time);
  }

  /** This budget, also limited to {@code n} evaluated states (a limit it has already stays if tighter). */
  public Budget orEvaluations(long n) {
    return new Budget(simulations, nodes, Math.min(n, evaluations), time);
  }

  /** This budget, also limited to {@code time} of wall time (a limit it has already stays if shorter). */
  public Budget orTime(Duration time) {
    checkNotNull(time, "time");
    return new Budget(simulations, nodes, evaluations,
        this.time == null || time.compareTo(this.time) < 0 ? time : this.time);
  }

  /** The time limit, if any. */
  public Optional<Duration> timeLimit() {
    return Optional.ofNullable(time);
  }
}
