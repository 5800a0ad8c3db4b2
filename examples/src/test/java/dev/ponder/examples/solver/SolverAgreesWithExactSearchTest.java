package dev.ponder.examples.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.connect4.Connect4Solver;
import dev.ponder.examples.tictactoe.TicTacToe;
import dev.ponder.examples.tictactoe.TicTacToeBoard;
import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.StopReason;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search's solver ({@code SearchConfig.solver}) used as a user would, on real games: in
 * tic-tac-toe self-play it proves the draw and keeps it, and on Connect Four endgames every value it
 * proves is the one the exact alpha-beta solver gives, and the move it plays keeps that value.
 */
class SolverAgreesWithExactSearchTest {

  private static final SearchConfig SOLVER = SearchConfig.builder().solver(true).maxReturn(1).seed(3).build();

  @Test
  void ticTacToeSelfPlayProvesTheDrawAndKeepsIt() {
    // From the empty board a proof needs millions of simulations (PUCT keeps visiting the proven
    // draws); a few moves in, the search proves the draw and every proven move keeps it.
    TicTacToe game = new TicTacToe();
    Mcts<TicTacToeBoard> mcts = new Mcts<>(game, Evaluator.randomRollout(game), SOLVER);
    mcts.reset(TicTacToeBoard.empty());
    TicTacToeBoard board = TicTacToeBoard.empty();
    int provenMoves = 0;
    while (!board.isOver()) {
      SearchResult move = mcts.search(Budget.simulations(200_000));
      if (move.stats().stopReason() == StopReason.PROVEN) {
        provenMoves++;
        assertEquals(0.0, move.value(), "a proven value other than a draw at\n" + board.render());
      } else {
        assertEquals(0, provenMoves, "a proof lost after a move at\n" + board.render());
      }
      board = board.play(move.action());
      if (!board.isOver()) {
        mcts.advance(move.action());
      }
    }
    assertEquals(-1, board.winner(), board.render());
    assertTrue(provenMoves >= 5, "only " + provenMoves + " of 9 moves were searched from a proven root");
  }

  @Test
  void connectFourEndgamesAreProvenAsTheExactSolverScoresThem() {
    Connect4 game = new Connect4();
    Connect4Solver exact = new Connect4Solver();
    SplittableRandom random = new SplittableRandom(11);
    int proven = 0;
    int positions = 0;
    while (positions < 30) {
      Connect4Position p = Connect4Position.empty();
      int stones = 26 + random.nextInt(8);
      while (!p.isTerminal() && p.moveCount() < stones) {
        int col = random.nextInt(Connect4Position.WIDTH);
        if (p.canPlay(col) && !p.isWinningMove(col)) {
          p = p.play(col);
        }
        if (random.nextInt(200) == 0) {
          break; // no move but winning ones left: take what we have
        }
      }
      if (p.isTerminal()) {
        continue;
      }
      positions++;
      Mcts<Connect4Position> mcts = new Mcts<>(game, Evaluator.uniform(), SOLVER);
      SearchResult result = mcts.search(p, Budget.simulations(300_000));
      if (result.stats().stopReason() != StopReason.PROVEN) {
        continue;
      }
      proven++;
      int score = exact.solve(p);
      assertEquals(Integer.signum(score), (int) Math.signum(result.value()), p.moves());
      int[] columns = exact.columnScores(p);
      assertEquals(Integer.signum(score), Integer.signum(columns[result.action()]),
          p.moves() + ": the proven move " + result.action() + " does not keep the value");
    }
    assertTrue(proven >= 20, "only " + proven + " of 30 endgames were proven");
  }
}
