package dev.ponder.mcts.testkit;

import dev.ponder.mcts.Environment;
import dev.ponder.mcts.TreeView;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The invariants every search tree must keep between searches, checked node by node; a violation
 * throws an {@link AssertionError} naming the node and what was wrong.
 *
 * <ul>
 *   <li>visits add up: an expanded node has one visit of its own (its evaluation) plus its children's,
 *       a terminal node has only its own, an unexpanded non-terminal node has none;
 *   <li>no visit is left in flight (no virtual loss left behind);
 *   <li>the children of a node are exactly the legal actions of its state, with priors that are
 *       probabilities summing to one;
 *   <li>every value sum is finite and, given bounds, every mean value lies within them.
 * </ul>
 */
public final class TreeInvariants {

  private static final double EPSILON = 1e-6;
  /** Means are kept in single precision: a float running mean may stray a few ulps past a bound. */
  private static final double VALUE_EPSILON = 1e-5;

  private TreeInvariants() {}

  /** Checks every invariant but the value bounds. */
  public static <S> void check(TreeView tree, Environment<S> environment) {
    check(tree, environment, null);
  }

  /**
   * Checks every invariant.
   *
   * @param bounds for a state, the lowest and highest return possible from it (from its player's point
   *     of view), or null to skip the bounds check
   */
  @SuppressWarnings("unchecked")
  public static <S> void check(TreeView tree, Environment<S> environment,
      Function<S, ExactSolver.Values> bounds) {
    int[] legal = new int[environment.actionCount()];
    int reachable = 0;
    int[] stack = new int[Math.max(16, tree.size())];
    int top = 0;
    stack[top++] = tree.root();
    while (top > 0) {
      int node = stack[--top];
      reachable++;
      String where = "node " + node + " (state " + tree.state(node) + ")";
      require(tree.pending(node) == 0, where + " has " + tree.pending(node) + " visits in flight");
      if (tree.visits(node) > 0) {
        require(Double.isFinite(tree.value(node)), where + " has value " + tree.value(node));
        require(node == tree.root() || Double.isFinite(tree.q(node)), where + " has Q " + tree.q(node));
      }
      int childVisits = 0;
      double priorSum = 0;
      for (int k = 0; k < tree.childCount(node); k++) {
        int child = tree.child(node, k);
        childVisits += tree.visits(child);
        priorSum += tree.prior(child);
        require(tree.prior(child) >= 0 && tree.prior(child) <= 1 + EPSILON,
            where + " has a child with prior " + tree.prior(child));
        require(k == 0 || tree.prior(child) <= tree.prior(tree.child(node, k - 1)),
            where + " has its children out of prior order at child " + k);
        stack[top++] = child;
      }
      if (tree.isTerminal(node)) {
        require(!tree.isExpanded(node), where + " is terminal but expanded");
      } else if (tree.isExpanded(node)) {
        if (tree.isProven(node)) { // descents that reach a proven node stop there
          require(tree.visits(node) >= childVisits + 1, where + " is proven with " + tree.visits(node)
              + " visits; expected at least 1 (its evaluation) + " + childVisits + " (its children's)");
        } else {
          require(tree.visits(node) == childVisits + 1, where + " has " + tree.visits(node)
              + " visits; expected 1 (its evaluation) + " + childVisits + " (its children's)");
        }
        require(Math.abs(priorSum - 1) < 1e-4, where + " has priors summing to " + priorSum);
        S state = (S) tree.state(node);
        int n = environment.legalActions(state, legal);
        int[] children = new int[tree.childCount(node)];
        for (int k = 0; k < children.length; k++) {
          children[k] = tree.action(tree.child(node, k));
        }
        int[] expected = Arrays.copyOf(legal, n);
        Arrays.sort(expected);
        Arrays.sort(children);
        require(Arrays.equals(expected, children), where + " has children for actions "
            + Arrays.toString(children) + "; its legal actions are " + Arrays.toString(expected));
      } else {
        require(tree.visits(node) == 0, where + " is unexpanded and not terminal but has "
            + tree.visits(node) + " visits");
      }
      if (bounds != null && tree.visits(node) > 0 && !tree.isTerminal(node)) {
        ExactSolver.Values b = bounds.apply((S) tree.state(node));
        double mean = tree.value(node);
        require(mean >= b.lowest() - VALUE_EPSILON && mean <= b.highest() + VALUE_EPSILON, where
            + " has mean value " + mean + " outside the possible returns [" + b.lowest() + ", "
            + b.highest() + "]");
        for (int k = 0; k < tree.childCount(node); k++) {
          int child = tree.child(node, k);
          double q = tree.q(child);
          require(tree.visits(child) == 0 || (q >= b.lowest() - VALUE_EPSILON
              && q <= b.highest() + VALUE_EPSILON), where + " has a child (action " + tree.action(child)
              + ") with Q " + q + " outside its possible returns [" + b.lowest() + ", " + b.highest() + "]");
        }
      }
    }
    require(reachable == tree.size(), "the tree has " + tree.size() + " nodes but " + reachable
        + " are reachable from the root");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
