package dev.ponder.bench;

import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Transition;

/**
 * A synthetic single-agent problem for measuring the search itself: every state has the same
 * {@code branching} legal actions, no state is terminal (the game never ends), and a state is a 64-bit
 * hash of the path that reached it, boxed in a {@link Long}. A step is a few arithmetic operations and
 * two small allocations (the boxed state, kept by the tree, and the {@link Transition}, garbage at once),
 * so what is measured is the search and its tree, not the environment.
 */
public final class SyntheticGame implements Environment<Long> {

  private final int branching;

  /** A game where every state has {@code branching} legal actions. */
  public SyntheticGame(int branching) {
    if (branching < 1) {
      throw new IllegalArgumentException("branching must be at least 1, was " + branching);
    }
    this.branching = branching;
  }

  /** The root state of a game seeded with {@code seed}. */
  public static Long root(long seed) {
    return mix(seed);
  }

  @Override
  public int actionCount() {
    return branching;
  }

  @Override
  public int legalActions(Long state, int[] out) {
    for (int a = 0; a < branching; a++) {
      out[a] = a;
    }
    return branching;
  }

  @Override
  public Transition<Long> step(Long state, int action) {
    return Transition.of(mix(state * 31 + action), false);
  }

  @Override
  public boolean isTerminal(Long state) {
    return false;
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "SyntheticGame[branching " + branching + "]";
  }
}
