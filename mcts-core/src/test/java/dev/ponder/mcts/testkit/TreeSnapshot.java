package dev.ponder.mcts.testkit;

import dev.ponder.mcts.TreeView;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a search tree holds, node by node in depth-first order, as a value: two trees are the same
 * exactly when their snapshots are equal. Used to check determinism and tree reuse.
 *
 * @param nodes the nodes in depth-first order, children in the tree's order
 */
public record TreeSnapshot(List<Node> nodes) {

  /**
   * One node. For the snapshot's root the edge fields (action, prior, reward, q) and the flags derived from
   * its state (terminal, player) are neutral: a subtree moved to the root of a new tree has no incoming
   * edge, and moving it there computes its state if it had not been visited.
   */
  public record Node(int depth, int action, int visits, double value, double q, float prior, double reward,
      int childCount, boolean terminal, int player) {}

  /** The whole tree. */
  public static TreeSnapshot of(TreeView tree) {
    return ofSubtree(tree, tree.root());
  }

  /** The subtree below {@code node}, as it would look rooted at {@code node}. */
  public static TreeSnapshot ofSubtree(TreeView tree, int node) {
    List<Node> nodes = new ArrayList<>();
    add(tree, node, 0, nodes);
    return new TreeSnapshot(List.copyOf(nodes));
  }

  private static void add(TreeView tree, int node, int depth, List<Node> out) {
    boolean root = depth == 0;
    out.add(new Node(depth, root ? -1 : tree.action(node), tree.visits(node), tree.value(node),
        root ? Double.NaN : tree.q(node), root ? 1f : tree.prior(node), root ? 0 : tree.reward(node),
        tree.childCount(node), !root && tree.isTerminal(node), !root && tree.hasState(node) ? tree.player(node) : -1));
    for (int k = 0; k < tree.childCount(node); k++) {
      add(tree, tree.child(node, k), depth + 1, out);
    }
  }

  /** Total visits of the root. */
  public int rootVisits() {
    return nodes.get(0).visits();
  }
}
