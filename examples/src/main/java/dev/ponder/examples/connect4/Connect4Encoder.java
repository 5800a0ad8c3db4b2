package dev.ponder.examples.connect4;

import dev.ponder.mcts.onnx.ObservationEncoder;
import java.nio.FloatBuffer;

/**
 * The observation of a Connect Four position for a policy/value network: what a model given to
 * {@code connect4 --model FILE.onnx} must read and write.
 *
 * <p><b>Input</b> {@code observation}: float32 of shape {@code [N, 2, 6, 7]} ({@link #shape()} after the
 * batch axis), laid out row-major, so the float for plane {@code p}, row {@code r}, column {@code c} is
 * at offset {@code p * 42 + r * 7 + c} within a state's 84 floats:
 *
 * <ul>
 *   <li>plane 0: the stones of the player to move (1.0 where they have a stone, else 0.0);
 *   <li>plane 1: the stones of the opponent (the player who just moved);
 *   <li>row 0 is the <em>bottom</em> row (where a stone dropped into an empty column lands), row 5 the top;
 *   <li>column 0 is the leftmost column, written 1 in the command line's notation, column 6 is 7.
 * </ul>
 *
 * The encoding is relative to the player to move, so it does not say whose turn it is by colour: the
 * network always plays "plane 0". The empty board is all zeros. For example after {@code 4453} (first
 * player to move, 4 stones), plane 0 has 1.0 at (row 0, column 3) and (row 0, column 4); plane 1 has
 * 1.0 at (row 1, column 3) and (row 0, column 2).
 *
 * <p><b>Outputs</b>: {@code policy}, float32 {@code [N, 7]}: one logit per column 0..6 (columns 1-7),
 * before any softmax; full columns are masked by the search, so the network need not know the rules.
 * {@code value}, float32 {@code [N]} or {@code [N, 1]}: the expected outcome in [-1, 1] (use a tanh
 * head) from the view of the player to move: +1 a win for the player to move, -1 a loss, 0 a draw.
 *
 * <p>Stateless and thread-safe.
 */
public final class Connect4Encoder implements ObservationEncoder<Connect4Position> {

  /** Planes of the observation: the mover's stones, then the opponent's. */
  public static final int PLANES = 2;
  private static final int[] SHAPE = {PLANES, Connect4Position.HEIGHT, Connect4Position.WIDTH};
  /** Floats in one observation: 84. */
  public static final int SIZE = PLANES * Connect4Position.HEIGHT * Connect4Position.WIDTH;
  /** Width of the policy output: one logit per column. */
  public static final int ACTIONS = Connect4Position.WIDTH;

  /** The shape of one observation, without the batch axis: {@code [2, 6, 7]} (planes, rows, columns). */
  @Override
  public int[] shape() {
    return SHAPE.clone();
  }

  @Override
  public void encode(Connect4Position state, FloatBuffer out) {
    long mine = state.current();
    long theirs = state.current() ^ state.mask();
    writePlane(mine, out);
    writePlane(theirs, out);
  }

  private static void writePlane(long stones, FloatBuffer out) {
    for (int row = 0; row < Connect4Position.HEIGHT; row++) {
      for (int col = 0; col < Connect4Position.WIDTH; col++) {
        out.put((stones >>> (col * Bitboards.H1 + row) & 1L) != 0 ? 1f : 0f);
      }
    }
  }

  @Override
  public String toString() {
    return "Connect4Encoder[2 planes (mover, opponent) x 6 rows (bottom first) x 7 columns]";
  }
}
