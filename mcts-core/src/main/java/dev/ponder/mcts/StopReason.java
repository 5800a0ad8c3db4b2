package dev.ponder.mcts;

/** Why a search stopped. */
public enum StopReason {
  /** The simulation budget was spent. */
  SIMULATIONS,
  /** The tree reached the node budget. */
  NODES,
  /** The evaluation budget was spent. */
  EVALUATIONS,
  /** The time budget was spent. */
  TIME,
  /**
   * The budget's only limits (nodes, evaluations) can no longer be reached, or not at a useful rate:
   * every line of play in the tree reaches a terminal state, or the search has run
   * {@value Budget#SIMULATIONS_PER_LIMIT} simulations per node or evaluation of the budget (it keeps
   * choosing lines that end in terminal states, which add no node and need no evaluation). With a
   * simulation or time limit the search goes on, since more simulations still refine the values.
   */
  EXHAUSTED,
  /**
   * The root's value is proven ({@link SearchConfig#solver()}): more simulations cannot change it, and
   * the chosen action is one that reaches it.
   */
  PROVEN,
  /** The searching thread was interrupted; its interrupt flag is left set. */
  INTERRUPTED
}
