package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

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
    json(tree, tree.root(), 0, maxDepth, minVisits, out);
    return out.toString();
  }

  private static void json(TreeView tree, int node, int depth, int maxDepth, int minVisits, StringBuilder out) {
    out.append("{\"action\":").append(tree.action(node))
        .append(",\"visits\":").append(tree.visits(node))
        .append(",\"value\":").append(number(mean(tree, node)))
        .append(",\"prior\":").append(number(tree.prior(node)))
        .append(",\"reward\":").append(number(tree.reward(node)))
        .append(",\"terminal\":").append(tree.isTerminal(node))
        .append(",\"proven\":").append(tree.isProven(node))
        .append(",\"children\":[");
    if (depth < maxDepth) {
      boolean first = true;
      for (int k = 0; k < tree.childCount(node); k++) {
        int child = tree.child(node, k);
        if (tree.visits(child) >= minVisits) {
          if (!first) {
            out.append(',');
          }
          first = false;
          json(tree, child, depth + 1, maxDepth, minVisits, out);
        }
      }
    }
    out.append("]}");
  }

  /** The tree as a Graphviz digraph; edges are labelled with their action and prior. */
  public static String dot(TreeView tree, int maxDepth, int minVisits) {
    checkNotNull(tree, "tree");
    checkArgument(maxDepth >= 0, "maxDepth must not be negative, was %s", maxDepth);
    StringBuilder out = new StringBuilder("digraph search {\n  node [shape=box, fontname=\"monospace\"];\n");
    dot(tree, tree.root(), 0, maxDepth, minVisits, out);
    return out.append("}\n").toString();
  }

  private static void dot(TreeView tree, int node, int depth, int maxDepth, int minVisits, StringBuilder out) {
    out.append("  n").append(node).append(" [label=\"N=").append(tree.visits(node))
        .append("\\nV=").append(String.format(Locale.ROOT, "%.3f", mean(tree, node)))
        .append(tree.isTerminal(node) ? "\\nterminal" : tree.isProven(node) ? "\\nproven" : "")
        .append("\"];\n");
    if (depth >= maxDepth) {
      return;
    }
    for (int k = 0; k < tree.childCount(node); k++) {
      int child = tree.child(node, k);
      if (tree.visits(child) >= minVisits) {
        out.append("  n").append(node).append(" -> n").append(child).append(" [label=\"")
            .append(tree.action(child)).append(String.format(Locale.ROOT, " p=%.2f", tree.prior(child)))
            .append("\"];\n");
        dot(tree, child, depth + 1, maxDepth, minVisits, out);
      }
    }
  }

  private static double mean(TreeView tree, int node) {
    return tree.value(node);
  }

  private static String number(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "null";
  }
}
