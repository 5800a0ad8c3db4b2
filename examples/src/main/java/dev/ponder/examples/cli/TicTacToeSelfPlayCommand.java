package dev.ponder.examples.cli;

import dev.ponder.examples.selfplay.SelfPlay;
import dev.ponder.examples.tictactoe.TicTacToe;
import dev.ponder.examples.tictactoe.TicTacToeBoard;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tictactoe selfplay}: the search plays tic-tac-toe against itself. */
@Command(name = "selfplay", mixinStandardHelpOptions = true,
    description = {"The search plays tic-tac-toe against itself (random-rollout MCTS with UCB1).",
        "Moves are printed as cells 1-9, row by row from the top left."})
public final class TicTacToeSelfPlayCommand implements Callable<Integer> {

  @Mixin
  private SelfPlayOptions options;

  @Mixin
  private OutputOption output;

  @Override
  public Integer call() {
    options.validate();
    TicTacToe game = new TicTacToe();
    SelfPlay<TicTacToeBoard> selfPlay = new SelfPlay<>(game, SearchSettings.ticTacToeEvaluator(game),
        SearchSettings::ticTacToe, SearchSettings.budget(options.simulations));
    return SelfPlaySeries.run(selfPlay, TicTacToeBoard.empty(), options, output.printer(), "tictactoe");
  }
}
