package dev.ponder.examples.tictactoe;

import static com.google.common.base.Preconditions.checkArgument;

import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Transition;

/**
 * Tic-tac-toe as a two-player {@link Environment}: actions are the cells 0..8 (row by row from the top
 * left), player 0 (X) moves first, a move that makes three in a row earns its player +1 and ends the
 * game, and a full board without a line is a draw (reward 0).
 */
public final class TicTacToe implements Environment<TicTacToeBoard> {

  @Override
  public int actionCount() {
    return TicTacToeBoard.CELLS;
  }

  @Override
  public int legalActions(TicTacToeBoard state, int[] out) {
    checkArgument(!state.isOver(), "the game is over in %s: it has no legal moves", state);
    int n = 0;
    for (int cell = 0; cell < TicTacToeBoard.CELLS; cell++) {
      if (state.isEmpty(cell)) {
        out[n++] = cell;
      }
    }
    return n;
  }

  @Override
  public Transition<TicTacToeBoard> step(TicTacToeBoard state, int action) {
    TicTacToeBoard next = state.play(action);
    boolean won = next.winner() >= 0;
    return new Transition<>(next, won ? 1.0 : 0.0, won || next.isOver());
  }

  @Override
  public boolean isTerminal(TicTacToeBoard state) {
    return state.isOver();
  }

  @Override
  public int players() {
    return 2;
  }

  @Override
  public int toPlay(TicTacToeBoard state) {
    return state.toPlay();
  }

  @Override
  public String toString() {
    return "TicTacToe";
  }
}
