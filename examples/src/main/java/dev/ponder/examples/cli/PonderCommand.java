package dev.ponder.examples.cli;

import java.io.BufferedReader;
import picocli.CommandLine.Command;

/** The root command: {@code ponder-examples <game> <action>}. */
@Command(name = "ponder-examples", mixinStandardHelpOptions = true,
    description = "Monte Carlo Tree Search examples built on Ponder.",
    subcommands = {TicTacToeCommand.class, Connect4Command.class})
public final class PonderCommand implements Runnable {

  private final BufferedReader in;

  PonderCommand(BufferedReader in) {
    this.in = in;
  }

  /** Standard input, for interactive commands. */
  BufferedReader in() {
    return in;
  }

  @Override
  public void run() {
    throw new UsageException("choose a game: tictactoe or connect4 (see --help)");
  }
}
