package dev.ponder.examples.cli;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.tictactoe.TicTacToe;
import dev.ponder.examples.tictactoe.TicTacToeBoard;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.select.Ucb1;

/**
 * The search settings of the command line, chosen by measurement: with no trained network yet, leaves
 * are evaluated by random rollouts and the tree is searched with UCB1 (c = 1).
 *
 * <p>Tic-tac-toe, self-play at 300 simulations per move, 3 x 100 games: 1 rollout per leaf lost 38 to
 * 48 games whatever the selection rule (UCB1 c in 0.5..2, PUCT 1.25 or 2.5); 4 rollouts lost 1 to 6 of
 * 900; 8 rollouts 0 of 3000 at 300 simulations but 2 of 900 at 200; 16 rollouts lost 0 of 3000 at both
 * 300 and 200 simulations (about 2 ms per game). Connect Four, 200 random positions (12-31 stones) where
 * the choice matters, 10,000 simulations, share of moves the exact solver rates optimal: 1 rollout 180,
 * 4 rollouts 189 (UCB1 c 0.7: 186, 1.4: 188, PUCT 2.5: 188), 8 rollouts 186.
 *
 * <p>This is the one place where the CLI picks evaluators; a future {@code --model} option only has to
 * change {@link #connect4Evaluator}.
 */
final class SearchSettings {

  /** UCB1 exploration constant for tic-tac-toe. */
  static final double TICTACTOE_EXPLORATION = 1.0;
  /** Random rollouts per evaluated tic-tac-toe leaf. */
  static final int TICTACTOE_ROLLOUTS = 16;
  /** UCB1 exploration constant for Connect Four. */
  static final double CONNECT4_EXPLORATION = 1.0;
  /** Random rollouts per evaluated Connect Four leaf. */
  static final int CONNECT4_ROLLOUTS = 4;

  private SearchSettings() {}

  /** The tic-tac-toe search configuration for a seed. */
  static SearchConfig ticTacToe(long seed) {
    return SearchConfig.builder().selection(new Ucb1(TICTACTOE_EXPLORATION)).seed(seed).build();
  }

  /** The tic-tac-toe evaluator. */
  static Evaluator<TicTacToeBoard> ticTacToeEvaluator(TicTacToe game) {
    return Evaluator.randomRollout(game, TICTACTOE_ROLLOUTS, 1.0);
  }

  /** The Connect Four search configuration for a seed. */
  static SearchConfig connect4(long seed) {
    return SearchConfig.builder().selection(new Ucb1(CONNECT4_EXPLORATION)).seed(seed).build();
  }

  /** The Connect Four evaluator (random rollouts until a model can be given). */
  static Evaluator<Connect4Position> connect4Evaluator(Connect4 game) {
    return Evaluator.randomRollout(game, CONNECT4_ROLLOUTS, 1.0);
  }
}
