package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkElementIndex;

import java.util.Arrays;

/**
 * The search tree as parallel primitive arrays (struct of arrays): node {@code i} is the i-th slot of
 * every array, the root is node 0, and the children of a node occupy {@code childCount} consecutive
 * slots from {@code firstChild}. There is no object per node or edge; the only references are the
 * states of visited nodes. Children are created with their action and prior when their parent is
 * expanded; their state is computed when they are first visited.
 *
 * <p>Not thread-safe: the search that owns it is its only writer.
 */
final class Tree implements TreeView {

  static final int ROOT = 0;
  static final int UNEXPANDED = -1;
  /** Arrays cannot grow past this many slots. */
  static final int MAX_NODES = Integer.MAX_VALUE - 16;

  private static final byte HAS_STATE = 1;
  private static final byte TERMINAL = 2;
  private static final byte PENDING = 4; // the node waits in the current batch for its evaluation
  private static final byte PLAYER_SHIFT = 3;

  int size;
  /** Nodes that may still be expanded: unvisited, or visited, not terminal and not yet expanded. */
  int open;
  int[] visits;
  int[] inFlight;
  double[] valueSum;
  float[] prior;
  int[] action;
  int[] firstChild;
  int[] childCount;
  float[] reward; // rewards are stored in single precision; value sums are double
  byte[] flags;
  Object[] states;

  Tree(int capacity) {
    allocate(Math.max(capacity, 1));
  }

  private void allocate(int capacity) {
    visits = new int[capacity];
    inFlight = new int[capacity];
    valueSum = new double[capacity];
    prior = new float[capacity];
    action = new int[capacity];
    firstChild = new int[capacity];
    childCount = new int[capacity];
    reward = new float[capacity];
    flags = new byte[capacity];
    states = new Object[capacity];
  }

  /** Empties the tree and makes a root for {@code state}. */
  void reset(Object state, int player, boolean terminal) {
    Arrays.fill(states, 0, size, null);
    size = 0;
    int root = newNode(-1, 1f);
    setState(root, state, player, terminal, 0.0);
    open = terminal ? 0 : 1;
  }

  private int newNode(int act, float p) {
    ensureCapacity(size + 1);
    int n = size++;
    visits[n] = 0;
    inFlight[n] = 0;
    valueSum[n] = 0;
    prior[n] = p;
    action[n] = act;
    firstChild[n] = UNEXPANDED;
    childCount[n] = 0;
    reward[n] = 0;
    flags[n] = 0;
    states[n] = null;
    return n;
  }

  /** Records a node's state; the first time, a terminal state closes the node. */
  void setState(int node, Object state, int player, boolean terminal, double reward) {
    if (terminal && (flags[node] & HAS_STATE) == 0) {
      open--;
    }
    states[node] = state;
    this.reward[node] = (float) reward;
    flags[node] = (byte) ((flags[node] & PENDING) | HAS_STATE | (terminal ? TERMINAL : 0)
        | (player << PLAYER_SHIFT));
  }

  /**
   * Creates the children of {@code node}: one per action {@code actions[from..from+count)}, with the
   * priors {@code priors[from..from+count)}.
   */
  void expand(int node, int[] actions, float[] priors, int from, int count) {
    ensureCapacity(size + count);
    int first = size;
    int end = first + count;
    Arrays.fill(visits, first, end, 0);
    Arrays.fill(inFlight, first, end, 0);
    Arrays.fill(valueSum, first, end, 0.0);
    System.arraycopy(priors, from, prior, first, count);
    System.arraycopy(actions, from, action, first, count);
    Arrays.fill(firstChild, first, end, UNEXPANDED);
    Arrays.fill(childCount, first, end, 0);
    Arrays.fill(reward, first, end, 0f);
    Arrays.fill(flags, first, end, (byte) 0);
    Arrays.fill(states, first, end, null);
    size = end;
    firstChild[node] = first;
    childCount[node] = count;
    open += count - 1;
  }

  private void ensureCapacity(int needed) {
    if (needed > visits.length) {
      if (needed > MAX_NODES) {
        throw new IllegalStateException("the search tree cannot hold more than " + MAX_NODES
            + " nodes; set a node budget (Budget.orNodes)");
      }
      int capacity = (int) Math.min(MAX_NODES, Math.max(needed, visits.length + (visits.length >> 1)));
      visits = Arrays.copyOf(visits, capacity);
      inFlight = Arrays.copyOf(inFlight, capacity);
      valueSum = Arrays.copyOf(valueSum, capacity);
      prior = Arrays.copyOf(prior, capacity);
      action = Arrays.copyOf(action, capacity);
      firstChild = Arrays.copyOf(firstChild, capacity);
      childCount = Arrays.copyOf(childCount, capacity);
      reward = Arrays.copyOf(reward, capacity);
      flags = Arrays.copyOf(flags, capacity);
      states = Arrays.copyOf(states, capacity);
    }
  }

  /** Number of node slots allocated. */
  int capacity() {
    return visits.length;
  }

  boolean isPending(int node) {
    return (flags[node] & PENDING) != 0;
  }

  void setPending(int node, boolean pending) {
    flags[node] = (byte) (pending ? flags[node] | PENDING : flags[node] & ~PENDING);
  }

  /** The child of {@code node} reached by {@code act}, or -1. */
  int childFor(int node, int act) {
    int first = firstChild[node];
    for (int c = first, end = first + childCount[node]; c < end && first != UNEXPANDED; c++) {
      if (action[c] == act) {
        return c;
      }
    }
    return -1;
  }

  /**
   * Makes {@code newRoot} the root and drops every node outside its subtree. The kept nodes are copied
   * breadth first into fresh arrays, so children stay contiguous and the released part can be
   * collected; their statistics are unchanged.
   */
  void reroot(int newRoot) {
    int kept = countSubtree(newRoot);
    Tree copy = new Tree(kept + (kept >> 1));
    int[] queue = new int[kept];
    queue[0] = newRoot;
    copy.copyNode(this, newRoot);
    copy.action[0] = -1;
    copy.prior[0] = 1f;
    copy.reward[0] = 0;
    int head = 0;
    int tail = 1;
    while (head < tail) {
      int from = queue[head];
      int to = head++; // copied nodes keep the queue order
      if (firstChild[from] != UNEXPANDED) {
        copy.firstChild[to] = copy.size;
        copy.childCount[to] = childCount[from];
        for (int c = firstChild[from], end = c + childCount[from]; c < end; c++) {
          copy.copyNode(this, c);
          queue[tail++] = c;
        }
      }
    }
    size = copy.size;
    open = 0;
    for (int n = 0; n < size; n++) {
      boolean closed = copy.firstChild[n] != UNEXPANDED || (copy.flags[n] & TERMINAL) != 0;
      open += closed ? 0 : 1;
    }
    visits = copy.visits;
    inFlight = copy.inFlight;
    valueSum = copy.valueSum;
    prior = copy.prior;
    action = copy.action;
    firstChild = copy.firstChild;
    childCount = copy.childCount;
    reward = copy.reward;
    flags = copy.flags;
    states = copy.states;
  }

  private void copyNode(Tree from, int node) {
    int n = size++;
    visits[n] = from.visits[node];
    inFlight[n] = 0;
    valueSum[n] = from.valueSum[node];
    prior[n] = from.prior[node];
    action[n] = from.action[node];
    firstChild[n] = UNEXPANDED;
    childCount[n] = 0;
    reward[n] = from.reward[node];
    flags[n] = (byte) (from.flags[node] & ~PENDING);
    states[n] = from.states[node];
  }

  private int countSubtree(int node) {
    int count = 0;
    int[] stack = new int[64];
    int top = 0;
    stack[top++] = node;
    while (top > 0) {
      int n = stack[--top];
      count++;
      if (firstChild[n] != UNEXPANDED) {
        if (top + childCount[n] > stack.length) {
          stack = Arrays.copyOf(stack, Math.max(stack.length * 2, top + childCount[n]));
        }
        for (int c = firstChild[n], end = c + childCount[n]; c < end; c++) {
          stack[top++] = c;
        }
      }
    }
    return count;
  }

  // ---- TreeView ----

  @Override
  public int root() {
    return ROOT;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int visits(int node) {
    return visits[check(node)];
  }

  @Override
  public int pending(int node) {
    return inFlight[check(node)];
  }

  @Override
  public double valueSum(int node) {
    return valueSum[check(node)];
  }

  @Override
  public int childCount(int node) {
    return childCount[check(node)];
  }

  @Override
  public int child(int node, int k) {
    checkElementIndex(k, childCount[check(node)], "child index");
    return firstChild[node] + k;
  }

  @Override
  public boolean isExpanded(int node) {
    return firstChild[check(node)] != UNEXPANDED;
  }

  @Override
  public int action(int node) {
    return action[check(node)];
  }

  @Override
  public float prior(int node) {
    return prior[check(node)];
  }

  @Override
  public double reward(int node) {
    return reward[check(node)];
  }

  @Override
  public boolean hasState(int node) {
    return (flags[check(node)] & HAS_STATE) != 0;
  }

  @Override
  public boolean isTerminal(int node) {
    return (flags[check(node)] & TERMINAL) != 0;
  }

  @Override
  public int player(int node) {
    return flags[check(node)] >>> PLAYER_SHIFT;
  }

  @Override
  public Object state(int node) {
    return states[check(node)];
  }

  private int check(int node) {
    return checkElementIndex(node, size, "node");
  }
}
