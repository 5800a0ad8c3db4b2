package dev.ponder.mcts.select;

/**
 * How a node chooses which child to descend into: the child with the highest score, where the score
 * adds an exploration bonus to the child's value estimate Q (from the point of view of the player to
 * move at the parent). Split in two so that the per-parent part is computed once per selection.
 *
 * <p>Implementations: {@link Puct} (AlphaZero, for searches guided by priors) and {@link Ucb1} (for
 * rollout-only search).
 */
public sealed interface SelectionRule permits Puct, Ucb1 {

  /** The exploration scale of a parent that has been visited {@code parentVisits} times (at least 1). */
  double scale(int parentVisits);

  /**
   * The score of a child.
   *
   * @param q the child's value estimate from the parent's point of view (first-play urgency if unvisited)
   * @param visits the child's visits, including visits in flight (virtual loss)
   * @param prior the child's prior probability
   * @param scale {@link #scale} of the parent
   */
  double score(double q, int visits, double prior, double scale);

  /** Whether unvisited children are scored with the first-play urgency value (false: tried first). */
  boolean usesFirstPlayUrgency();
}
