package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * What one action did: the next state, the reward of the player who acted, and whether the next state
 * is terminal (it must agree with {@link Environment#isTerminal}).
 *
 * @param state the next state
 * @param reward the reward received by the player who took the action; finite, and at most 1e30 in
 *     magnitude (the tree keeps means in single precision)
 * @param terminal whether {@code state} is terminal
 * @param <S> the state type
 */
public record Transition<S>(S state, double reward, boolean terminal) {

  /** Checks that the state is present and the reward finite and at most 1e30 in magnitude. */
  public Transition {
    checkNotNull(state, "Transition.state must not be null");
    checkArgument(Magnitude.accepted(reward), "Transition.reward must be finite and at most %s in magnitude,"
        + " was %s", Magnitude.MAX, reward);
  }

  /** A transition with no reward. */
  public static <S> Transition<S> of(S state, boolean terminal) {
    return new Transition<>(state, 0.0, terminal);
  }
}
