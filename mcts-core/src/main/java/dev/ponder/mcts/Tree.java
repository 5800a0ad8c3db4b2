package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * The search tree as pages of interleaved primitive records: no object per node or edge, the only
 * references are the states of visited nodes. A node is a handle {@code page << shift | slot}; the root
 * is handle 0; the children of a node are {@code childCount} consecutive slots of one page from
 * {@code firstChild}, created with their action and prior when their parent is expanded; their state is
 * computed when they are first visited.
 *
 * <p><b>Layout.</b> A descent reads only <em>hot</em> records, seven ints each (visits, visits in
 * flight, Q, prior, first child, child count and the node's own value; floats as raw bits): scoring the
 * children of a node reads one contiguous stream, and the chosen child's record, already read, says
 * where its children are, so each level of a descent waits for one cache miss, not one per field. Q is
 * the running mean of the returns through the node from the point of view of the player at its parent,
 * reward and discount included, so scoring a child needs no sign, reward or division; the value is the
 * same visits' mean from the node's own player's point of view. The <em>cold</em> record (action and
 * reward), the flags and the state are read once per simulation at most. Means are kept in single
 * precision and updated as {@code m += (g - m) / n}, which keeps full relative precision however many
 * visits a node has (a float sum would not past 2^24).
 *
 * <p><b>Pages.</b> A page holds {@code 2^shift} slots, at least the action count, so a child block always
 * fits in one page; a block that does not fit in what is left of the last page starts the next one. So
 * the tree grows without ever copying a full page: the first page grows by doubling from 1024 slots
 * (small trees stay small), later pages are allocated whole, and a big tree carries no spare capacity
 * but the rest of its last page. {@link #reset} keeps the pages for the next tree.
 *
 * <p>Not thread-safe: the search that owns it is its only writer.
 */
final class Tree implements TreeView {

  static final int ROOT = 0;
  /** The first child of a node not yet expanded: the root's handle, which is nobody's child. */
  static final int UNEXPANDED = 0;

  static final int HOT = 7; // ints per hot record
  static final int VISITS = 0;
  static final int IN_FLIGHT = 1;
  static final int Q = 2;
  static final int PRIOR = 3;
  /**
   * Set in a record's in-flight int once the node has been given virtual loss, and kept: with the
   * visits, it tells the children ever tried, which {@link #expand}'s order keeps in front.
   */
  static final int TRIED = 1 << 30;
  /**
   * Set in a record's in-flight int once the node's value is known exactly ({@link #prove}): a
   * terminal, or a node the solver decided from its children. Its Q and value are then exact.
   */
  static final int PROVEN = 1 << 29;
  /** The in-flight int without {@link #TRIED} and {@link #PROVEN}: the visits in flight. */
  static final int IN_FLIGHT_MASK = PROVEN - 1;
  private static final int FIRST_CHILD = 4;
  private static final int CHILD_COUNT = 5;
  private static final int VALUE = 6;

  private static final int COLD = 2; // ints per cold record
  private static final int ACTION = 0;
  private static final int REWARD = 1;

  private static final byte HAS_STATE = 1;
  private static final byte TERMINAL = 2;
  private static final byte PENDING = 4; // the node waits in the current batch for its evaluation
  private static final byte PLAYER_SHIFT = 3;

  private static final int MIN_PAGE_SHIFT = 16;
  private static final int FIRST_PAGE_SLOTS = 1024;

  final int shift;
  private final int mask;
  private final int pageSlots;
  /** Nodes in the tree. */
  int size;
  /** Nodes that may still be expanded: unvisited, or visited, not terminal and not yet expanded. */
  int open;
  private int next; // the handle of the next free slot
  int[][] hot = new int[0][];
  private int[][] cold = new int[0][];
  private byte[][] flags = new byte[0][];
  private Object[][] states = new Object[0][];
  private int[] used = new int[0]; // slots handed out per page
  private long[] order = new long[64]; // scratch of expand: children sorted by prior

  private Tree(int shift) {
    this.shift = shift;
    this.pageSlots = 1 << shift;
    this.mask = pageSlots - 1;
  }

  /** An empty tree for an environment of {@code actionCount} actions (the widest block it must hold). */
  static Tree forActions(int actionCount) {
    checkArgument(actionCount > 0, "actionCount must be positive, was %s", actionCount);
    int shift = Math.max(MIN_PAGE_SHIFT, 32 - Integer.numberOfLeadingZeros(actionCount - 1));
    checkArgument(shift <= 30, "an action count of %s is too large for the tree", actionCount);
    return new Tree(shift);
  }

  /** Empties the tree (its pages are kept for the next one) and makes a root for {@code state}. */
  void reset(Object state, int player, boolean terminal) {
    for (int p = 0; p < used.length; p++) {
      Arrays.fill(states[p], 0, used[p], null);
      used[p] = 0;
    }
    size = 0;
    next = 0;
    int root = allocate(1);
    initialise(root, -1, 1f);
    setState(root, state, player, terminal, 0.0);
    open = terminal ? 0 : 1;
  }

  /** Hands out {@code count} consecutive slots of one page and returns the first. */
  private int allocate(int count) {
    int page = next >>> shift;
    int slot = next & mask;
    if (slot + count > pageSlots) {
      page++;
      slot = 0;
    }
    if (page >= hot.length) {
      grow(page + 1);
    }
    int length = hot[page].length / HOT;
    if (slot + count > length) {
      resize(page, Math.min(pageSlots, Math.max(slot + count, 2 * length)));
    }
    int first = page << shift | slot;
    next = first + count;
    used[page] = slot + count;
    size += count;
    return first;
  }

  private void grow(int pages) {
    if (pages > (1 << (31 - shift)) - 1) { // a handle must stay below 2^31 - 2^shift: next never overflows
      throw new IllegalStateException("the search tree cannot hold more than " + size
          + " nodes; set a node budget (Budget.orNodes)");
    }
    int old = hot.length;
    hot = Arrays.copyOf(hot, pages);
    cold = Arrays.copyOf(cold, pages);
    flags = Arrays.copyOf(flags, pages);
    states = Arrays.copyOf(states, pages);
    used = Arrays.copyOf(used, pages);
    for (int p = old; p < pages; p++) {
      int slots = p == 0 ? Math.min(pageSlots, FIRST_PAGE_SLOTS) : pageSlots;
      hot[p] = new int[slots * HOT];
      cold[p] = new int[slots * COLD];
      flags[p] = new byte[slots];
      states[p] = new Object[slots];
    }
  }

  private void resize(int page, int slots) {
    hot[page] = Arrays.copyOf(hot[page], slots * HOT);
    cold[page] = Arrays.copyOf(cold[page], slots * COLD);
    flags[page] = Arrays.copyOf(flags[page], slots);
    states[page] = Arrays.copyOf(states[page], slots);
  }

  private void initialise(int node, int act, float p) {
    int[] h = hot[node >>> shift];
    int i = (node & mask) * HOT;
    h[i + VISITS] = 0;
    h[i + IN_FLIGHT] = 0;
    h[i + Q] = 0;
    h[i + PRIOR] = Float.floatToRawIntBits(p);
    h[i + FIRST_CHILD] = UNEXPANDED;
    h[i + CHILD_COUNT] = 0;
    h[i + VALUE] = 0;
    int[] c = cold[node >>> shift];
    int j = (node & mask) * COLD;
    c[j + ACTION] = act;
    c[j + REWARD] = 0;
    flags[node >>> shift][node & mask] = 0;
    states[node >>> shift][node & mask] = null;
  }

  /**
   * Records a node's state; the first time, a terminal state closes the node and is proven: value 0,
   * Q its reward.
   */
  void setState(int node, Object state, int player, boolean terminal, double reward) {
    byte[] f = flags[node >>> shift];
    int s = node & mask;
    if (terminal && (f[s] & HAS_STATE) == 0) {
      open--;
      prove(node, 0f, (float) reward);
    }
    states[node >>> shift][s] = state;
    cold[node >>> shift][s * COLD + REWARD] = Float.floatToRawIntBits((float) reward);
    f[s] = (byte) ((f[s] & PENDING) | HAS_STATE | (terminal ? TERMINAL : 0) | (player << PLAYER_SHIFT));
  }

  /**
   * Creates the children of {@code node}: one per action {@code actions[from..from+count)}, with the
   * (non-negative) priors {@code priors[from..from+count)}, in order of decreasing prior, ties in the
   * order given.
   *
   * <p>Why sorted: a selection rule scores every child that has never been tried with the same value
   * (first-play urgency) and an exploration term that grows with the prior, so of those only the first
   * in prior order can win, and it is tried before any other. So the children ever tried (visited, or
   * given virtual loss: {@link #TRIED}) form a prefix of the block, and scoring a node's children stops
   * at the first untried one: a node deep in a big tree, with few visits, costs a few children instead
   * of all of them. (Not at a root with noisy priors, whose order differs: there every child is scored.)
   */
  void expand(int node, int[] actions, float[] priors, int from, int count) {
    int first = allocate(count);
    int page = first >>> shift;
    int s = first & mask;
    long[] keys = sortByPrior(priors, from, count);
    int[] h = hot[page];
    int[] c = cold[page];
    byte[] f = flags[page];
    for (int k = 0, i = s * HOT, j = s * COLD; k < count; k++, i += HOT, j += COLD) {
      int source = from + (keys == null ? k : (int) keys[k]);
      h[i + VISITS] = 0;
      h[i + IN_FLIGHT] = 0;
      h[i + Q] = 0;
      h[i + PRIOR] = Float.floatToRawIntBits(priors[source]);
      h[i + FIRST_CHILD] = UNEXPANDED;
      h[i + CHILD_COUNT] = 0;
      h[i + VALUE] = 0;
      c[j + ACTION] = actions[source];
      c[j + REWARD] = 0;
      f[s + k] = 0;
    }
    // no state to clear: a slot is handed out once per tree, and reset cleared every slot handed out
    assert statesClear(page, s, count);
    int[] parent = hot[node >>> shift];
    int j = (node & mask) * HOT;
    parent[j + FIRST_CHILD] = first;
    parent[j + CHILD_COUNT] = count;
    open += count - 1;
  }

  private boolean statesClear(int page, int from, int count) {
    for (int s = from; s < from + count; s++) {
      if (states[page][s] != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code priors[from..from+count)} in order of decreasing prior, ties in the order given: the low int
   * of key {@code k} is the offset of the {@code k}-th; {@code null} when they are in that order already.
   */
  private long[] sortByPrior(float[] priors, int from, int count) {
    if (order.length < count) {
      order = new long[Math.max(count, 2 * order.length)];
    }
    long[] keys = order;
    boolean sorted = true;
    for (int k = 0; k < count; k++) {
      // non-negative floats order as their bits: a key sorts by decreasing prior, then by position
      // (+ 0f turns a -0 prior into +0)
      keys[k] = (long) (Integer.MAX_VALUE - Float.floatToRawIntBits(priors[from + k] + 0f)) << 32 | k;
      sorted &= k == 0 || keys[k] > keys[k - 1];
    }
    if (sorted) {
      return null;
    }
    sort(keys, count);
    return keys;
  }

  /**
   * Sorts {@code keys[0..count)}: up to {@link #NETWORK_KEYS} (the usual branching) by a fixed network
   * of compare-exchanges, which has no branch to mispredict whatever the order of the priors; else by
   * the JDK.
   */
  private static void sort(long[] keys, int count) {
    if (count > NETWORK_KEYS) {
      Arrays.sort(keys, 0, count);
      return;
    }
    for (int c = 0; c < NETWORK.length; c += 2) {
      int i = NETWORK[c];
      int j = NETWORK[c + 1];
      if (j < count) { // a key past count acts as +infinity: it would never move
        long a = keys[i];
        long b = keys[j];
        keys[i] = Math.min(a, b);
        keys[j] = Math.max(a, b);
      }
    }
  }

  private static final int NETWORK_KEYS = 8;
  /** Batcher's odd-even merge sort of 8 keys: compare-exchange pairs (i, j), i < j, in order. */
  private static final int[] NETWORK = oddEvenMergeSort(NETWORK_KEYS);

  private static int[] oddEvenMergeSort(int n) {
    int[] pairs = new int[0];
    for (int p = 1; p < n; p <<= 1) {
      for (int k = p; k >= 1; k >>= 1) {
        for (int j = k % p; j + k < n; j += 2 * k) {
          for (int i = 0; i < Math.min(k, n - j - k); i++) {
            if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) {
              pairs = Arrays.copyOf(pairs, pairs.length + 2);
              pairs[pairs.length - 2] = i + j;
              pairs[pairs.length - 1] = i + j + k;
            }
          }
        }
      }
    }
    return pairs;
  }

  // ---- fields, unchecked (the search's own handles) ----

  int visitsOf(int node) {
    return hot[node >>> shift][(node & mask) * HOT + VISITS];
  }

  int inFlightOf(int node) {
    return hot[node >>> shift][(node & mask) * HOT + IN_FLIGHT] & IN_FLIGHT_MASK;
  }

  void addInFlight(int node, int delta) {
    int[] h = hot[node >>> shift];
    int i = (node & mask) * HOT + IN_FLIGHT;
    h[i] = (h[i] + delta) | TRIED;
  }

  float qOf(int node) {
    return Float.intBitsToFloat(hot[node >>> shift][(node & mask) * HOT + Q]);
  }

  float priorOf(int node) {
    return Float.intBitsToFloat(hot[node >>> shift][(node & mask) * HOT + PRIOR]);
  }

  int firstChildOf(int node) {
    return hot[node >>> shift][(node & mask) * HOT + FIRST_CHILD];
  }

  int childCountOf(int node) {
    return hot[node >>> shift][(node & mask) * HOT + CHILD_COUNT];
  }

  int actionOf(int node) {
    return cold[node >>> shift][(node & mask) * COLD + ACTION];
  }

  float rewardOf(int node) {
    return Float.intBitsToFloat(cold[node >>> shift][(node & mask) * COLD + REWARD]);
  }

  float valueOf(int node) {
    return Float.intBitsToFloat(hot[node >>> shift][(node & mask) * HOT + VALUE]);
  }

  Object stateOf(int node) {
    return states[node >>> shift][node & mask];
  }

  int playerOf(int node) {
    return flags[node >>> shift][node & mask] >>> PLAYER_SHIFT;
  }

  boolean hasStateOf(int node) {
    return (flags[node >>> shift][node & mask] & HAS_STATE) != 0;
  }

  boolean isTerminalOf(int node) {
    return (flags[node >>> shift][node & mask] & TERMINAL) != 0;
  }

  boolean isPending(int node) {
    return (flags[node >>> shift][node & mask] & PENDING) != 0;
  }

  void setPending(int node, boolean pending) {
    byte[] f = flags[node >>> shift];
    int s = node & mask;
    f[s] = (byte) (pending ? f[s] | PENDING : f[s] & ~PENDING);
  }

  /** The hot records of the page holding {@code node}: {@code hot(node)[hotIndex(node) + VISITS]}. */
  int[] hotPage(int node) {
    return hot[node >>> shift];
  }

  int hotIndex(int node) {
    return (node & mask) * HOT;
  }

  /**
   * Adds one completed visit with return {@code own} (from the node's own player's point of view) and
   * {@code q} (the same return from its parent's player's point of view).
   */
  void addVisit(int node, double own, double q, boolean removeVirtualLoss) {
    int[] h = hot[node >>> shift];
    int i = (node & mask) * HOT;
    int n = ++h[i + VISITS];
    int flight = h[i + IN_FLIGHT];
    if (removeVirtualLoss) {
      h[i + IN_FLIGHT] = flight - 1;
    }
    if ((flight & PROVEN) != 0) {
      return; // exact already
    }
    float oldQ = Float.intBitsToFloat(h[i + Q]);
    h[i + Q] = Float.floatToRawIntBits((float) (oldQ + (q - oldQ) / n));
    float oldValue = Float.intBitsToFloat(h[i + VALUE]);
    h[i + VALUE] = Float.floatToRawIntBits((float) (oldValue + (own - oldValue) / n));
  }

  boolean isProvenOf(int node) {
    return (hot[node >>> shift][(node & mask) * HOT + IN_FLIGHT] & PROVEN) != 0;
  }

  /**
   * Marks {@code node} proven with its exact value (own view) and Q (its parent's view). Later visits
   * keep them: a visit through a proven node backs up exactly these.
   */
  void prove(int node, float value, float q) {
    int[] h = hot[node >>> shift];
    int i = (node & mask) * HOT;
    h[i + VALUE] = Float.floatToRawIntBits(value);
    h[i + Q] = Float.floatToRawIntBits(q);
    h[i + IN_FLIGHT] |= PROVEN;
  }

  /** The child of {@code node} reached by {@code act}, or -1. */
  int childFor(int node, int act) {
    int first = firstChildOf(node);
    if (first == UNEXPANDED) {
      return -1;
    }
    for (int c = first, end = first + childCountOf(node); c < end; c++) {
      if (actionOf(c) == act) {
        return c;
      }
    }
    return -1;
  }

  /**
   * Makes {@code newRoot} the root and drops every node outside its subtree. The kept nodes are copied
   * breadth first into fresh pages, so children stay contiguous and the released part can be
   * collected; their statistics are unchanged (the new root's Q, an edge statistic, is dropped).
   */
  void reroot(int newRoot) {
    Tree copy = new Tree(shift);
    int root = copy.allocate(1);
    copy.copyNode(this, newRoot, root);
    copy.setEdge(root, -1, 1f, 0f, 0f);
    int[] from = new int[64];
    int[] to = new int[64];
    from[0] = newRoot;
    to[0] = root;
    int head = 0;
    int tail = 1;
    while (head < tail) {
      int source = from[head];
      int target = to[head++];
      int first = firstChildOf(source);
      if (first != UNEXPANDED) {
        int count = childCountOf(source);
        int copied = copy.allocate(count);
        int[] h = copy.hot[target >>> copy.shift];
        int j = (target & copy.mask) * HOT;
        h[j + FIRST_CHILD] = copied;
        h[j + CHILD_COUNT] = count;
        if (tail + count > from.length) {
          from = Arrays.copyOf(from, Math.max(2 * from.length, tail + count));
          to = Arrays.copyOf(to, from.length);
        }
        for (int k = 0; k < count; k++) {
          copy.copyNode(this, first + k, copied + k);
          from[tail] = first + k;
          to[tail++] = copied + k;
        }
      }
    }
    copy.open = 0;
    for (int i = 0; i < tail; i++) {
      int n = to[i];
      boolean closed = copy.firstChildOf(n) != UNEXPANDED || copy.isTerminalOf(n);
      copy.open += closed ? 0 : 1;
    }
    size = copy.size;
    open = copy.open;
    next = copy.next;
    hot = copy.hot;
    cold = copy.cold;
    flags = copy.flags;
    states = copy.states;
    used = copy.used;
  }

  private void copyNode(Tree source, int node, int into) {
    int[] sh = source.hot[node >>> source.shift];
    int i = (node & source.mask) * HOT;
    int[] h = hot[into >>> shift];
    int k = (into & mask) * HOT;
    h[k + VISITS] = sh[i + VISITS];
    h[k + IN_FLIGHT] = sh[i + IN_FLIGHT] & (TRIED | PROVEN);
    h[k + Q] = sh[i + Q];
    h[k + PRIOR] = sh[i + PRIOR];
    h[k + FIRST_CHILD] = UNEXPANDED;
    h[k + CHILD_COUNT] = 0;
    h[k + VALUE] = sh[i + VALUE];
    int[] sc = source.cold[node >>> source.shift];
    int j = (node & source.mask) * COLD;
    int[] c = cold[into >>> shift];
    int m = (into & mask) * COLD;
    c[m + ACTION] = sc[j + ACTION];
    c[m + REWARD] = sc[j + REWARD];
    flags[into >>> shift][into & mask] = (byte) (source.flags[node >>> source.shift][node & source.mask] & ~PENDING);
    states[into >>> shift][into & mask] = source.states[node >>> source.shift][node & source.mask];
  }

  private void setEdge(int node, int act, float p, float q, float reward) {
    int[] h = hot[node >>> shift];
    int i = (node & mask) * HOT;
    h[i + Q] = Float.floatToRawIntBits(q);
    h[i + PRIOR] = Float.floatToRawIntBits(p);
    int[] c = cold[node >>> shift];
    int j = (node & mask) * COLD;
    c[j + ACTION] = act;
    c[j + REWARD] = Float.floatToRawIntBits(reward);
  }

  // ---- TreeView: checked ----

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
    return visitsOf(check(node));
  }

  @Override
  public int pending(int node) {
    return inFlightOf(check(node));
  }

  @Override
  public double value(int node) {
    return visitsOf(check(node)) == 0 ? Double.NaN : valueOf(node);
  }

  @Override
  public double q(int node) {
    return node == ROOT || visitsOf(check(node)) == 0 ? Double.NaN : qOf(node);
  }

  @Override
  public boolean isProven(int node) {
    return isProvenOf(check(node));
  }

  @Override
  public int childCount(int node) {
    return childCountOf(check(node));
  }

  @Override
  public int child(int node, int k) {
    int count = childCountOf(check(node));
    if (k < 0 || k >= count) {
      throw new IndexOutOfBoundsException(
          "child index " + k + " of node " + node + " is out of range: it has " + count + " children");
    }
    return firstChildOf(node) + k;
  }

  @Override
  public boolean isExpanded(int node) {
    return firstChildOf(check(node)) != UNEXPANDED;
  }

  @Override
  public int action(int node) {
    return actionOf(check(node));
  }

  @Override
  public float prior(int node) {
    return priorOf(check(node));
  }

  @Override
  public double reward(int node) {
    return rewardOf(check(node));
  }

  @Override
  public boolean hasState(int node) {
    return hasStateOf(check(node));
  }

  @Override
  public boolean isTerminal(int node) {
    return isTerminalOf(check(node));
  }

  @Override
  public int player(int node) {
    return playerOf(check(node));
  }

  @Override
  public Object state(int node) {
    return stateOf(check(node));
  }

  private int check(int node) {
    int page = node >>> shift;
    if (node < 0 || page >= used.length || (node & mask) >= used[page]) {
      throw new IndexOutOfBoundsException("node " + node + " is not a node of this tree" + (size == 0
          ? ": it is empty (no root yet: call reset(rootState) first)" : " of " + size + " nodes"));
    }
    return node;
  }
}
