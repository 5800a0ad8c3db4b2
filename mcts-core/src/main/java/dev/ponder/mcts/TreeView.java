package dev.ponder.mcts;

/**
 * A read-only view of a search tree, for tests, tools and export. Nodes are non-negative int handles,
 * not necessarily below {@link #size()}: the root is {@link #root()}, a node's children are
 * {@code child(node, 0..childCount(node))}; any other int is refused. The view reads the live tree: it
 * is valid until the tree is next searched, advanced or reset.
 *
 * <p>Values: {@link #value} of a node is the mean return from the point of view of the player to move
 * at that node; {@link #q} is the same visits' mean from the point of view of the player at its parent,
 * who chose the action: the action's reward plus the discounted value, negated when the player changes;
 * {@link #reward} is what the player to move at the parent received for that action. Means are stored
 * in single precision. A {@linkplain #isProven proven} node's value and Q are its exact game values
 * instead of means.
 */
public interface TreeView {

  /** The root node. */
  int root();

  /** Number of nodes. */
  int size();

  /** Completed simulations through the node. */
  int visits(int node);

  /** Visits in flight (virtual loss) through the node; zero between searches. */
  int pending(int node);

  /** Mean of the returns backed up through the node, from its own player's point of view; NaN if unvisited. */
  double value(int node);

  /**
   * Q of the action that led to the node: the mean of the same returns from the point of view of the
   * player at the parent, reward and discount included, as the selection rule sees it; NaN for the root
   * or an unvisited node.
   */
  double q(int node);

  /** Number of children; zero until the node is expanded. */
  int childCount(int node);

  /** The {@code k}-th child. */
  int child(int node, int k);

  /** Whether the node's children have been created. */
  boolean isExpanded(int node);

  /** The action that led to the node (-1 for the root). */
  int action(int node);

  /** The normalised prior of the action that led to the node (1 for the root). */
  float prior(int node);

  /**
   * The reward of the action that led to the node, for the player who took it; stored in single
   * precision.
   */
  double reward(int node);

  /** Whether the node's state has been computed (it is, once the node was visited). */
  boolean hasState(int node);

  /** Whether the node's state is terminal; false until its state has been computed. */
  boolean isTerminal(int node);

  /**
   * Whether the node's value is known exactly: a terminal state, or (with {@link SearchConfig#solver()})
   * a node decided by its children, in which case {@link #value} and {@link #q} are exact.
   */
  boolean isProven(int node);

  /** The player to move at the node; meaningful once its state has been computed. */
  int player(int node);

  /** The node's state, or null if it has not been computed. */
  Object state(int node);
}
