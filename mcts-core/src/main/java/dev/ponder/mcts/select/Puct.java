package dev.ponder.mcts.select;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * AlphaZero's PUCT rule: {@code Q + c(N) * P * sqrt(N) / (1 + n)}, with the exploration rate growing
 * slowly with the parent's visits N: {@code c(N) = cInit + log((N + cBase + 1) / cBase)}.
 *
 * <p>References: D. Silver et al., "A general reinforcement learning algorithm that masters chess, shogi
 * and Go through self-play", Science 362 (2018), pseudocode; C. Rosin, "Multi-armed bandits with
 * episode context", AMAI 61 (2011).
 *
 * @param cInit the exploration rate for small N; positive
 * @param cBase the visit count at which the rate starts to grow; positive
 */
public record Puct(double cInit, double cBase) implements SelectionRule {

  /** AlphaZero's published constants: cInit 1.25, cBase 19652. */
  public static Puct alphaZero() {
    return new Puct(1.25, 19652);
  }

  /** Checks the constants. */
  public Puct {
    checkArgument(cInit > 0 && Double.isFinite(cInit), "Puct.cInit must be positive, was %s", cInit);
    checkArgument(cBase > 0 && Double.isFinite(cBase), "Puct.cBase must be positive, was %s", cBase);
  }

  @Override
  public double scale(int parentVisits) {
    checkArgument(parentVisits >= 1, "parentVisits must be at least 1, was %s", parentVisits);
    return (cInit + Math.log((parentVisits + cBase + 1) / cBase)) * Math.sqrt(parentVisits);
  }

  @Override
  public double score(double q, int visits, double prior, double scale) {
    return q + scale * prior / (1 + visits);
  }

  @Override
  public boolean usesFirstPlayUrgency() {
    return true;
  }
}
