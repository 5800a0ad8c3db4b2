package dev.ponder.bench;

import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.mcts.onnx.ObservationEncoder;
import java.nio.FloatBuffer;

/**
 * The 42-float Connect Four observation of the reference model of the ONNX benchmark: one float per
 * cell, row-major from the bottom row, +1 for a stone of the player to move, -1 for the opponent's, 0
 * for an empty cell. Built on the public {@link Connect4Position#cell} only.
 */
public final class Connect4FlatEncoder implements ObservationEncoder<Connect4Position> {

  /** Floats in one observation. */
  public static final int SIZE = Connect4Position.WIDTH * Connect4Position.HEIGHT;

  private static final int[] SHAPE = {SIZE};

  @Override
  public int[] shape() {
    return SHAPE.clone();
  }

  @Override
  public void encode(Connect4Position state, FloatBuffer out) {
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
