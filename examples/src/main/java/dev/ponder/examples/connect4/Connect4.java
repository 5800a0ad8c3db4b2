package dev.ponder.examples.connect4;

import static com.google.common.base.Preconditions.checkArgument;

import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Transition;

/**
 * Connect Four (7 columns, 6 rows) as a two-player {@link Environment} over {@link Connect4Position}:
 * actions are the columns 0..6, player 0 moves first, a move that makes four in a row earns its player
 * +1 and ends the game, and a full board without four in a row is a draw (reward 0).
 */
public final class Connect4 implements Environment<Connect4Position> {

  @Override
  public int actionCount() {
    return Connect4Position.WIDTH;
  }

  @Override
  public int legalActions(Connect4Position state, int[] out) {
    checkArgument(!state.isTerminal(), "the game is over in %s: it has no legal moves", state);
    int n = 0;
    for (int col = 0; col < Connect4Position.WIDTH; col++) {
      if (state.canPlay(col)) {
        out[n++] = col;
      }
    }
    return n;
  }

  @Override
  public Transition<Connect4Position> step(Connect4Position state, int action) {
    Connect4Position next = state.play(action);
    return new Transition<>(next, next.isWon() ? 1.0 : 0.0, next.isTerminal());
  }

  @Override
  public boolean isTerminal(Connect4Position state) {
    return state.isTerminal();
  }

  @Override
  public int players() {
    return 2;
  }

  @Override
  public int toPlay(Connect4Position state) {
    return state.toPlay();
  }

  @Override
  public String toString() {
    return "Connect4";
  }
}
