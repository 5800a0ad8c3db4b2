package dev.ponder.mcts;

/**
 * A problem whose rules are known: the states, the legal actions in each, and what an action does.
 *
 * <p>Actions are ints in a fixed action space {@code [0, actionCount())}; each state offers a subset of
 * them (its legal actions, the mask). The environment is either single agent ({@link #players()} is 1)
 * or two-player zero-sum ({@link #players()} is 2), in which case {@link #toPlay} says whose turn it is.
 * States must be immutable, or at least never changed after {@link #step} returns them: the search keeps
 * them in its tree.
 *
 * <p>Rewards belong to the player who acts: {@code step(s, a).reward()} is what the player to move in
 * {@code s} receives for playing {@code a}. In a two-player game a win is usually a reward of +1 on the
 * winning move and a terminal state. Values from an {@link Evaluator} are likewise from the point of
 * view of the player to move in the evaluated state.
 *
 * <p>Thread safety: a pool of more than one thread ({@link SearchPool#overlapped},
 * {@link SearchPool#parallel}) and a search of more than one thread ({@link SearchConfig#threads()})
 * call the environment from several threads at once, on different states, so there it must be
 * thread-safe. An environment whose methods depend only on their arguments is; one that keeps scratch
 * space in fields is not (keep it in locals, or in a {@link ThreadLocal}).
 *
 * <p>Run {@code dev.ponder.mcts.testkit.EnvironmentContract} (in the mcts-core test-jar) against an
 * implementation to check that it keeps this contract.
 *
 * @param <S> the state type
 */
public interface Environment<S> {

  /** Size A of the action space: every action is an int in {@code [0, A)}. */
  int actionCount();

  /**
   * Writes the distinct legal actions of a non-terminal state into {@code out} and returns how many
   * there are (at least one).
   *
   * @param state a state that is not terminal
   * @param out a buffer of length at least {@link #actionCount()}
   * @return the number of legal actions written to {@code out[0..n)}
   */
  int legalActions(S state, int[] out);

  /**
   * Applies a legal action.
   *
   * @param state a state that is not terminal
   * @param action one of the legal actions of {@code state}
   * @return the next state, the reward of the player who acted, and whether the next state is terminal
   */
  Transition<S> step(S state, int action);

  /** Whether the state ends the episode: no action may be taken from it. */
  boolean isTerminal(S state);

  /** Number of players: 1 for a single agent, 2 for a two-player zero-sum game. */
  default int players() {
    return 1;
  }

  /** The player to move in {@code state}, in {@code [0, players())}. */
  default int toPlay(S state) {
    return 0;
  }
}
