package dev.ponder.mcts.testkit;

import dev.ponder.mcts.TreeView;
import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * The subtree below {@code node}, as it would look rooted at {@code node}: its nodes depth first, in
   * child order (with an explicit stack, so a tree thousands of levels deep is no problem).
   */
  public static TreeSnapshot ofSubtree(TreeView tree, int node) {
    List<Node> nodes = new ArrayList<>();
    int[] stack = new int[64]; // pairs: node, depth
    int top = 0;
    stack[top++] = node;
    stack[top++] = 0;
    while (top > 0) {
      int depth = stack[--top];
      int n = stack[--top];
      boolean root = depth == 0;
      nodes.add(new Node(depth, root ? -1 : tree.action(n), tree.visits(n), tree.value(n),
          root ? Double.NaN : tree.q(n), root ? 1f : tree.prior(n), root ? 0 : tree.reward(n),
          tree.childCount(n), !root && tree.isTerminal(n), !root && tree.hasState(n) ? tree.player(n) : -1));
      for (int k = tree.childCount(n) - 1; k >= 0; k--) { // the first child on top
        if (top + 2 > stack.length) {
          stack = Arrays.copyOf(stack, 2 * stack.length);
        }
        stack[top++] = tree.child(n, k);
        stack[top++] = depth + 1;
      }
    }
    return new TreeSnapshot(List.copyOf(nodes));
  }

  /** Total visits of the root. */
  public int rootVisits() {
    return nodes.get(0).visits();
  }
}
