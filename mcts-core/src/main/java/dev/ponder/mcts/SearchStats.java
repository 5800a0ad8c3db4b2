package dev.ponder.mcts;

import java.time.Duration;
import java.util.Objects;

/**
 * What one search did. Equality leaves out the wall time ({@code elapsed}), a measurement rather than
 * an outcome: the same seeded search gives equal stats, and equal {@link SearchResult}s, run after run.
 *
 * @param simulations simulations run (each ends in an evaluated leaf or a terminal state)
 * @param nodes nodes in the tree at the end, including nodes kept from earlier searches
 * @param evaluatorCalls calls to {@link Evaluator#evaluate}
 * @param evaluations states evaluated, over all calls
 * @param collisions descents abandoned because their leaf was already waiting in the batch
 * @param maxDepth the deepest leaf reached, in actions below the root
 * @param meanDepth the mean depth of the simulations' leaves, in actions below the root: how many
 *     nodes a simulation chose a child at (each choice scores that node's children)
 * @param elapsed wall time of the search
 * @param stopReason the limit that stopped it
 */
public record SearchStats(
    long simulations,
    long nodes,
    long evaluatorCalls,
    long evaluations,
    long collisions,
    int maxDepth,
    double meanDepth,
    Duration elapsed,
    StopReason stopReason) {

  /** Equal when every component but {@code elapsed} is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SearchStats s && simulations == s.simulations && nodes == s.nodes
        && evaluatorCalls == s.evaluatorCalls && evaluations == s.evaluations && collisions == s.collisions
        && maxDepth == s.maxDepth && Double.compare(meanDepth, s.meanDepth) == 0 && stopReason == s.stopReason;
  }

  @Override
  public int hashCode() {
    return Objects.hash(simulations, nodes, evaluatorCalls, evaluations, collisions, maxDepth, meanDepth,
        stopReason);
  }

  /** Mean states per evaluator call (0 when there was no call). */
  public double meanBatchSize() {
    return evaluatorCalls == 0 ? 0 : (double) evaluations / evaluatorCalls;
  }
}
