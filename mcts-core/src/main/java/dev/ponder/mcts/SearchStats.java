package dev.ponder.mcts;

import java.time.Duration;

/**
 * What one search did.
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

  /** Mean states per evaluator call (0 when there was no call). */
  public double meanBatchSize() {
    return evaluatorCalls == 0 ? 0 : (double) evaluations / evaluatorCalls;
  }
}
