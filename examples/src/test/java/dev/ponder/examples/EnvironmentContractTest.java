package dev.ponder.examples;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.tictactoe.TicTacToe;
import dev.ponder.examples.tictactoe.TicTacToeBoard;
import dev.ponder.mcts.testkit.EnvironmentContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the core's environment contract check ({@link EnvironmentContract}, in the mcts-core test-jar)
 * against both games, from the empty board and a few positions in mid-game, with 200 cases per check.
 */
class EnvironmentContractTest {

  private static final int EXAMPLES = 200;

  private static TicTacToeBoard ticTacToe(int... cells) {
    TicTacToeBoard b = TicTacToeBoard.empty();
    for (int cell : cells) {
      b = b.play(cell);
    }
    return b;
  }

  @Test
  void ticTacToeKeepsTheContract() {
    List<TicTacToeBoard> starts = List.of(TicTacToeBoard.empty(), ticTacToe(4), ticTacToe(4, 0, 8),
        ticTacToe(0, 4, 8, 2), ticTacToe(0, 1, 3, 4, 7, 6));
    EnvironmentContract.of(new TicTacToe(), starts).examples(EXAMPLES).checkAll();
  }

  @Test
  void connect4KeepsTheContract() {
    List<Connect4Position> starts = List.of(Connect4Position.empty(), Connect4Position.parse("4453"),
        Connect4Position.parse("444444"), Connect4Position.parse("12121"),
        Connect4Position.parse("7422341735647741166133573473242566"));
    EnvironmentContract.of(new Connect4(), starts).examples(EXAMPLES).checkAll();
  }
}
