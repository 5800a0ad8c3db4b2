package dev.ponder.examples.cli;

import picocli.CommandLine.Command;

/** {@code tictactoe}: the tic-tac-toe commands. */
@Command(name = "tictactoe", mixinStandardHelpOptions = true,
    description = "Tic-tac-toe: cells are numbered 1-9 row by row from the top left.",
    subcommands = {TicTacToeSelfPlayCommand.class})
public final class TicTacToeCommand implements Runnable {

  @Override
  public void run() {
    throw new UsageException("choose an action for tictactoe: selfplay (see tictactoe --help)");
  }
}
