package dev.ponder.examples.connect4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided differential fuzzing (Jazzer) of the bitboard {@link Connect4Position} against a
 * plain 7 x 6 array with explicit line checks: for any string of moves, {@link Connect4Position#parse}
 * either gives the position the plain board reaches, cell by cell, with the same end, player to move and
 * winning moves, or rejects the same move, with a message naming it. The input's bytes are the
 * characters (ISO 8859-1), so the files in the inputs folder read as the moves they stand for.
 *
 * <p>{@code mvn test} runs the inputs in
 * {@code src/test/resources/dev/ponder/examples/connect4/Connect4FuzzTestInputs}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl examples test -Dtest=Connect4FuzzTest}.
 */
class Connect4FuzzTest {

  @FuzzTest(maxDuration = "5m")
  void aParsedPositionIsThePositionOfAPlainBoard(byte[] input) {
    String moves = new String(input, StandardCharsets.ISO_8859_1); // one character per byte
    PlainBoard plain = new PlainBoard();
    for (int i = 0; i < moves.length(); i++) {
      String problem = plain.problemWith(moves.charAt(i));
      if (problem != null) {
        int move = i + 1;
        assertThatThrownBy(() -> Connect4Position.parse(moves)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("move " + move + " ").hasMessageContaining(problem);
        return;
      }
      plain.drop(moves.charAt(i) - '1');
    }
    Connect4Position p = Connect4Position.parse(moves);
    assertThat(p.moves()).isEqualTo(moves);
    assertThat(p.moveCount()).isEqualTo(moves.length());
    assertThat(p.toPlay()).isEqualTo(moves.length() % 2);
    assertThat(p.isWon()).isEqualTo(plain.won);
    assertThat(p.isTerminal()).isEqualTo(plain.won || moves.length() == 42);
    for (int col = 0; col < 7; col++) {
      for (int row = 0; row < 6; row++) {
        assertThat(p.cell(col, row)).as("cell (%s, %s)", col, row).isEqualTo(plain.cells[col][row]);
      }
      boolean playable = !p.isTerminal() && plain.heights[col] < 6;
      assertThat(p.canPlay(col) && !p.isTerminal()).as("column %s playable", col).isEqualTo(playable);
      if (playable) {
        assertThat(p.isWinningMove(col)).as("column %s wins", col).isEqualTo(plain.wins(col));
        assertThat(p.play(col).isWon()).isEqualTo(plain.wins(col));
      }
    }
    assertThat(Connect4Position.parse(p.moves())).isEqualTo(p);
  }

  /** The board as a plain array: -1 empty, else the player (0 moves first). */
  private static final class PlainBoard {
    final int[][] cells = new int[7][6];
    final int[] heights = new int[7];
    int moves;
    boolean won;

    PlainBoard() {
      for (int[] column : cells) {
        java.util.Arrays.fill(column, -1);
      }
    }

    /** What the parser must say about the next move, or null if it is legal. */
    String problemWith(char ch) {
      if (ch < '1' || ch > '7') {
        return "columns are the digits 1-7";
      }
      if (won || moves == 42) {
        return "comes after the game was already " + (won ? "won" : "drawn");
      }
      return heights[ch - '1'] == 6 ? "which is full" : null;
    }

    void drop(int col) {
      int player = moves++ % 2;
      cells[col][heights[col]++] = player;
      won = fourThrough(col, heights[col] - 1, player);
    }

    /** Whether the player to move would make four by dropping in {@code col}. */
    boolean wins(int col) {
      int player = moves % 2;
      int row = heights[col];
      cells[col][row] = player;
      boolean four = fourThrough(col, row, player);
      cells[col][row] = -1;
      return four;
    }

    private boolean fourThrough(int col, int row, int player) {
      int[][] directions = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
      for (int[] d : directions) {
        int run = 1 + run(col, row, d[0], d[1], player) + run(col, row, -d[0], -d[1], player);
        if (run >= 4) {
          return true;
        }
      }
      return false;
    }

    private int run(int col, int row, int dc, int dr, int player) {
      int n = 0;
      for (int c = col + dc, r = row + dr; c >= 0 && c < 7 && r >= 0 && r < 6 && cells[c][r] == player;
          c += dc, r += dr) {
        n++;
      }
      return n;
    }
  }
}
