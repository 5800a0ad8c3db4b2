package dev.ponder.mcts;

/**
 * What the search learned about one legal action at the root.
 *
 * @param action the action
 * @param visits simulations that went through it
 * @param q its mean value from the point of view of the player to move at the root (reward included),
 *     or NaN if it was never visited
 * @param prior the evaluator's normalised prior for it (without root noise)
 */
public record ActionStats(int action, int visits, double q, double prior) {}
