package dev.ponder.examples.connect4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Connect4EncoderTest {

  private static final Connect4Encoder ENCODER = new Connect4Encoder();

  private static float[] encode(Connect4Position p) {
    FloatBuffer buffer = FloatBuffer.allocate(Connect4Encoder.SIZE + 3);
    buffer.position(3);
    ENCODER.encode(p, buffer);
    assertEquals(3 + Connect4Encoder.SIZE, buffer.position(), "exactly 84 relative puts");
    float[] out = new float[Connect4Encoder.SIZE];
    buffer.position(3);
    buffer.get(out);
    return out;
  }

  private static float at(float[] obs, int plane, int row, int col) {
    return obs[plane * 42 + row * 7 + col];
  }

  @Test
  void shapeIsTwoPlanesOfSixRowsOfSevenColumns() {
    assertArrayEquals(new int[] {2, 6, 7}, ENCODER.shape());
    ENCODER.shape()[0] = 5;
    assertArrayEquals(new int[] {2, 6, 7}, ENCODER.shape(), "a copy");
    assertEquals(84, Connect4Encoder.SIZE);
    assertEquals(7, Connect4Encoder.ACTIONS);
  }

  @Test
  void emptyBoardIsAllZeros() {
    assertArrayEquals(new float[84], encode(Connect4Position.empty()));
  }

  @Test
  void documentedExample() {
    float[] obs = encode(Connect4Position.parse("4453"));
    float[] expected = new float[84];
    expected[0 * 42 + 0 * 7 + 3] = 1;
    expected[0 * 42 + 0 * 7 + 4] = 1;
    expected[1 * 42 + 1 * 7 + 3] = 1;
    expected[1 * 42 + 0 * 7 + 2] = 1;
    assertArrayEquals(expected, obs);
    // After one more move the planes swap: the second player is to move.
    float[] next = encode(Connect4Position.parse("4453" + "1"));
    assertEquals(1f, at(next, 1, 0, 0));
    assertEquals(1f, at(next, 1, 0, 3));
    assertEquals(1f, at(next, 0, 1, 3));
  }

  @Test
  void planesAgreeWithCellsOnRandomPositions() {
    SplittableRandom random = new SplittableRandom(11);
    for (int game = 0; game < 200; game++) {
      Connect4Position p = Connect4Position.empty();
      int length = random.nextInt(42);
      for (int i = 0; i < length && !p.isTerminal(); i++) {
        int col;
        do {
          col = random.nextInt(7);
        } while (!p.canPlay(col));
        p = p.play(col);
      }
      float[] obs = encode(p);
      for (int row = 0; row < 6; row++) {
        for (int col = 0; col < 7; col++) {
          int owner = p.cell(col, row);
          assertEquals(owner == p.toPlay() ? 1f : 0f, at(obs, 0, row, col), p + " " + row + "," + col);
          assertEquals(owner == 1 - p.toPlay() ? 1f : 0f, at(obs, 1, row, col), p + " " + row + "," + col);
        }
      }
    }
  }
}
