package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Locale;

/**
 * Writes a search tree for viewing: nested JSON for tools and notebooks, or Graphviz DOT for a picture
 * ({@code dot -Tsvg tree.dot > tree.svg}). Only nodes with at least {@code minVisits} visits and no
 * deeper than {@code maxDepth} below the root are written, so a large tree stays readable.
 *
 * <p>Each node carries the action that led to it, its visits, its mean value from the point of view of
 * its own player to move, the prior and reward of its action, whether it is terminal, and whether its
 * value is proven (exact: a terminal state, or a node the solver decided).
 */
public final class TreeExport {

  private TreeExport() {}

  /** The tree as one JSON object: {@code {"action":-1,"visits":..,"value":..,"children":[..]}}. */
  public static String json(TreeView tree, int maxDepth, int minVisits) {
    checkNotNull(tree, "tree");
    checkArgument(maxDepth >= 0, "maxDepth must not be negative, was %s", maxDepth);
    StringBuilder out = new StringBuilder();
    walk(tree, maxDepth, minVisits, new Visitor() {
      @Override
      public void enter(int node, int parent, boolean firstChild) {
        if (!firstChild) {
          out.append(',');
        }
        out.append("{\"action\":").append(tree.action(node))
            .append(",\"visits\":").append(tree.visits(node))
            .append(",\"value\":").append(number(mean(tree, node)))
            .append(",\"prior\":").append(number(tree.prior(node)))
            .append(",\"reward\":").append(number(tree.reward(node)))
            .append(",\"terminal\":").append(tree.isTerminal(node))
            .append(",\"proven\":").append(tree.isProven(node))
            .append(",\"children\":[");
      }

      @Override
      public void exit(int node) {
        out.append("]}");
      }
    });
    return out.toString();
  }

  /** The tree as a Graphviz digraph; edges are labelled with their action and prior. */
  public static String dot(TreeView tree, int maxDepth, int minVisits) {
    checkNotNull(tree, "tree");
    checkArgument(maxDepth >= 0, "maxDepth must not be negative, was %s", maxDepth);
    StringBuilder out = new StringBuilder("digraph search {\n  node [shape=box, fontname=\"monospace\"];\n");
    walk(tree, maxDepth, minVisits, new Visitor() {
      @Override
      public void enter(int node, int parent, boolean firstChild) {
        if (parent >= 0) {
          out.append("  n").append(parent).append(" -> n").append(node).append(" [label=\"")
              .append(tree.action(node)).append(String.format(Locale.ROOT, " p=%.2f", tree.prior(node)))
              .append("\"];\n");
        }
        out.append("  n").append(node).append(" [label=\"N=").append(tree.visits(node))
            .append("\\nV=").append(String.format(Locale.ROOT, "%.3f", mean(tree, node)))
            .append(tree.isTerminal(node) ? "\\nterminal" : tree.isProven(node) ? "\\nproven" : "")
            .append("\"];\n");
      }

      @Override
      public void exit(int node) {}
    });
    return out.append("}\n").toString();
  }

  /** What an export writes as {@link #walk} meets each node, and after its children. */
  private interface Visitor {
    /** A node is met: {@code parent} is -1 for the root; {@code firstChild} if no sibling came before it. */
    void enter(int node, int parent, boolean firstChild);

    /** Its children are done. */
    void exit(int node);
  }

  /**
   * Visits the root and, depth first in child order, every node with at least {@code minVisits}
   * visits no deeper than {@code maxDepth}, with an explicit stack: a tree may be thousands of levels
   * deep (a long chain of forced moves), too deep for the JVM's stack.
   */
  private static void walk(TreeView tree, int maxDepth, int minVisits, Visitor visitor) {
    int[] nodes = new int[64]; // the path from the root
    int[] nextChild = new int[64]; // per level: the next child to look at
    int[] written = new int[64]; // per level: children visited so far
    int top = 0;
    nodes[0] = tree.root();
    visitor.enter(nodes[0], -1, true);
    while (top >= 0) {
      int node = nodes[top];
      int count = top < maxDepth ? tree.childCount(node) : 0;
      int k = nextChild[top];
      while (k < count && tree.visits(tree.child(node, k)) < minVisits) {
        k++;
      }
      if (k == count) {
        visitor.exit(node);
        top--;
        continue;
      }
      nextChild[top] = k + 1;
      int child = tree.child(node, k);
      visitor.enter(child, node, written[top]++ == 0);
      if (++top == nodes.length) {
        nodes = Arrays.copyOf(nodes, 2 * top);
        nextChild = Arrays.copyOf(nextChild, 2 * top);
        written = Arrays.copyOf(written, 2 * top);
      }
      nodes[top] = child;
      nextChild[top] = 0;
      written[top] = 0;
    }
  }

  private static double mean(TreeView tree, int node) {
    return tree.value(node);
  }

  private static String number(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "null";
  }
}
