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
  /** The searching thread was interrupted; its interrupt flag is left set. */
  INTERRUPTED
}
