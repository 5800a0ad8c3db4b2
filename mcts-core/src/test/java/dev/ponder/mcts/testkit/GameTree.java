package dev.ponder.mcts.testkit;

import com.google.common.base.Preconditions;
import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Transition;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.SplittableRandom;

/**
 * A random, explicit game tree as an {@link Environment}: states are node numbers (0 is the root), each
 * non-terminal node has a random non-empty subset of the action space as its legal actions, each edge a
 * random reward, and in two-player trees the player to move usually, but not always, alternates. Used
 * to check the search against exact answers; {@link #step} rejects illegal actions, so a search that
 * tried one would fail.
 */
public final class GameTree implements Environment<Integer> {

  /** The shape of a random tree. */
  public record Shape(int players, int actionCount, int maxDepth, double terminalChance, long seed) {
    /** Checks the shape. */
    public Shape {
      Preconditions.checkArgument(players == 1 || players == 2, "players must be 1 or 2");
      Preconditions.checkArgument(actionCount >= 1 && maxDepth >= 1, "actionCount and maxDepth must be >= 1");
    }
  }

  private static final double[] REWARDS = {-1, -0.5, 0, 0, 0, 0.5, 1};
  private static final int MAX_NODES = 400;

  private final Shape shape;
  private final IntArrayList firstChild = new IntArrayList();
  private final IntArrayList childCount = new IntArrayList();
  private final IntArrayList action = new IntArrayList();
  private final IntArrayList player = new IntArrayList();
  private final IntArrayList terminal = new IntArrayList();
  private final it.unimi.dsi.fastutil.doubles.DoubleArrayList reward =
      new it.unimi.dsi.fastutil.doubles.DoubleArrayList();

  /** Generates a tree of the given shape; the root is never terminal. */
  public GameTree(Shape shape) {
    this.shape = shape;
    SplittableRandom random = new SplittableRandom(shape.seed());
    addNode(-1, 0, 0, false);
    // breadth first, so that children of a node are consecutive
    IntArrayList depth = new IntArrayList();
    depth.add(0);
    for (int node = 0; node < firstChild.size(); node++) {
      if (terminal.getInt(node) != 0) {
        continue;
      }
      int d = depth.getInt(node);
      int first = firstChild.size();
      int count = 0;
      for (int a = 0; a < shape.actionCount(); a++) {
        boolean last = a == shape.actionCount() - 1;
        if (random.nextInt(3) == 0 && !(last && count == 0)) {
          continue; // a third of the actions are illegal here, but at least one is legal
        }
        boolean end = d + 1 >= shape.maxDepth() || random.nextDouble() < shape.terminalChance()
            || firstChild.size() >= MAX_NODES;
        int next = shape.players() == 1 ? 0
            : random.nextInt(5) == 0 ? player.getInt(node) : 1 - player.getInt(node);
        addNode(a, next, REWARDS[random.nextInt(REWARDS.length)], end);
        depth.add(d + 1);
        count++;
      }
      firstChild.set(node, first);
      childCount.set(node, count);
    }
  }

  private void addNode(int act, int who, double r, boolean isTerminal) {
    firstChild.add(-1);
    childCount.add(0);
    action.add(act);
    player.add(who);
    reward.add(r);
    terminal.add(isTerminal ? 1 : 0);
  }

  /** The shape this tree was generated from. */
  public Shape shape() {
    return shape;
  }

  /** The root state. */
  public Integer root() {
    return 0;
  }

  /** Number of nodes. */
  public int size() {
    return firstChild.size();
  }

  /** Whether {@code action} is legal in {@code state}. */
  public boolean isLegal(int state, int act) {
    return child(state, act) >= 0;
  }

  private int child(int state, int act) {
    int first = firstChild.getInt(state);
    for (int c = first; c >= 0 && c < first + childCount.getInt(state); c++) {
      if (action.getInt(c) == act) {
        return c;
      }
    }
    return -1;
  }

  @Override
  public int actionCount() {
    return shape.actionCount();
  }

  @Override
  public int legalActions(Integer state, int[] out) {
    Preconditions.checkArgument(terminal.getInt(state) == 0, "legalActions asked of terminal state %s", state);
    int first = firstChild.getInt(state);
    int n = childCount.getInt(state);
    for (int k = 0; k < n; k++) {
      out[k] = action.getInt(first + k);
    }
    return n;
  }

  @Override
  public Transition<Integer> step(Integer state, int act) {
    Preconditions.checkArgument(terminal.getInt(state) == 0, "step from terminal state %s", state);
    int c = child(state, act);
    Preconditions.checkArgument(c >= 0, "illegal action %s in state %s", act, state);
    return new Transition<>(c, reward.getDouble(c), terminal.getInt(c) != 0);
  }

  @Override
  public boolean isTerminal(Integer state) {
    return terminal.getInt(state) != 0;
  }

  @Override
  public int players() {
    return shape.players();
  }

  @Override
  public int toPlay(Integer state) {
    return player.getInt(state);
  }

  @Override
  public String toString() {
    return "GameTree" + shape + "[" + size() + " nodes]";
  }
}
