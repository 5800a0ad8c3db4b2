package dev.ponder.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ponder.examples.connect4.Connect4Position;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bitboard encoding of the benchmark's model is the cell-by-cell one. */
class Connect4FlatEncoderTest {

  private static float[] encoded(Connect4Position p, boolean byCells) {
    FloatBuffer out = FloatBuffer.allocate(Connect4FlatEncoder.SIZE);
    if (byCells) {
      Connect4FlatEncoder.encodeByCells(p, out);
    } else {
      new Connect4FlatEncoder().encode(p, out);
    }
    return out.array();
  }

  @Test
  void bitboardsGiveTheSameFloatsAsCells() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 5000; i++) {
      Connect4Position p = Games.randomPosition(random, 0, 41);
      assertArrayEquals(encoded(p, true), encoded(p, false), p.toString());
    }
    for (String moves : new String[] {"", "4", "4453", "444444"}) {
      Connect4Position p = Connect4Position.parse(moves);
      assertArrayEquals(encoded(p, true), encoded(p, false), moves);
    }
  }
}
