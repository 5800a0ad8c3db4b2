package dev.ponder.mcts.onnx;

import java.nio.FloatBuffer;

/**
 * Turns a state into the floats a network reads: the observation of one state, a tensor of
 * {@link #shape()} laid out row-major. Connect Four, for example, may encode its 42 cells as two
 * 6x7 planes (shape {@code [2, 6, 7]}) or as 42 floats (shape {@code [42]}).
 *
 * <p>The model's input must then be {@code [batch, ...shape()]}. Implementations must be safe to call
 * from the threads that call the evaluator.
 *
 * @param <S> the state type
 */
public interface ObservationEncoder<S> {

  /** The observation shape of one state, without the batch dimension; every size positive. */
  int[] shape();

  /**
   * Writes the observation of {@code state}: exactly {@code prod(shape())} floats, with relative
   * puts at the buffer's position. Writing more fails with a buffer overflow; writing fewer is
   * reported as an error by the evaluator.
   */
  void encode(S state, FloatBuffer out);
}
