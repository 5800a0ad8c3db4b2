package dev.ponder.mcts.select;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * UCB1 applied to trees (UCT): {@code Q + c * sqrt(ln N / n)}, every unvisited child tried first (in
 * order of prior, then of action). For rollout-only search, where there are no useful priors.
 *
 * <p>Reference: L. Kocsis and C. Szepesvári, "Bandit based Monte-Carlo planning", ECML 2006; P. Auer et
 * al., "Finite-time analysis of the multiarmed bandit problem", Machine Learning 47 (2002).
 *
 * @param c the exploration constant; sqrt(2) for rewards in [0, 1]
 */
public record Ucb1(double c) implements SelectionRule {

  /** UCB1 with {@code c = sqrt(2)}. */
  public static Ucb1 standard() {
    return new Ucb1(Math.sqrt(2));
  }

  /** Checks the constant. */
  public Ucb1 {
    checkArgument(c >= 0 && Double.isFinite(c), "Ucb1.c must be finite and non-negative, was %s", c);
  }

  @Override
  public double scale(int parentVisits) {
    checkArgument(parentVisits >= 1, "parentVisits must be at least 1, was %s", parentVisits);
    return c * Math.sqrt(Math.log(parentVisits));
  }

  @Override
  public double score(double q, int visits, double prior, double scale) {
    return visits == 0 ? Double.POSITIVE_INFINITY : q + scale / Math.sqrt(visits);
  }

  @Override
  public boolean usesFirstPlayUrgency() {
    return false;
  }
}
