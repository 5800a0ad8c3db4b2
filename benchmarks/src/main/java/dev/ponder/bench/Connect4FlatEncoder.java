package dev.ponder.bench;

import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.mcts.onnx.ObservationEncoder;
import java.nio.FloatBuffer;

/**
 * The 42-float Connect Four observation of the reference model of the ONNX benchmark: one float per
 * cell, row-major from the bottom row, +1 for a stone of the player to move, -1 for the opponent's, 0
 * for an empty cell. Read from the position's bitboards ({@link Connect4Position#current()},
 * {@link Connect4Position#mask()}); {@link #encodeByCells} is the same encoding through
 * {@link Connect4Position#cell}, the reference the tests compare it with.
 */
public final class Connect4FlatEncoder implements ObservationEncoder<Connect4Position> {

  /** Floats in one observation. */
  public static final int SIZE = Connect4Position.WIDTH * Connect4Position.HEIGHT;

  private static final int[] SHAPE = {SIZE};
  private static final int COLUMN_BITS = Connect4Position.HEIGHT + 1;
  private static final float[] ZEROS = new float[SIZE];

  @Override
  public int[] shape() {
    return SHAPE.clone();
  }

  /**
   * Zeros the 42 floats in one bulk put, then writes the stones one by one (a position has few), set
   * bit by set bit of the mask: faster than a branch per cell.
   */
  @Override
  public void encode(Connect4Position state, FloatBuffer out) {
    long mine = state.current();
    int base = out.position();
    out.put(ZEROS);
    for (long stones = state.mask(); stones != 0; stones &= stones - 1) {
      int bit = Long.numberOfTrailingZeros(stones);
      int col = bit / COLUMN_BITS;
      int row = bit - col * COLUMN_BITS;
      out.put(base + row * Connect4Position.WIDTH + col, ((int) (mine >>> bit) & 1) * 2 - 1); // +1, -1
    }
  }

  /** The same observation through 42 calls of {@link Connect4Position#cell}: the reference. */
  static void encodeByCells(Connect4Position state, FloatBuffer out) {
    int mover = state.toPlay();
    for (int row = 0; row < Connect4Position.HEIGHT; row++) {
      for (int col = 0; col < Connect4Position.WIDTH; col++) {
        int owner = state.cell(col, row);
        out.put(owner < 0 ? 0f : owner == mover ? 1f : -1f);
      }
    }
  }

  @Override
  public String toString() {
    return "Connect4FlatEncoder[42 cells: +1 mover, -1 opponent]";
  }
}
