package dev.ponder.examples.cli;

import java.io.BufferedReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code connect4}: the Connect Four commands. */
@Command(name = "connect4", mixinStandardHelpOptions = true,
    description = "Connect Four (7 columns, 6 rows). Positions are written as the sequence of columns "
        + "played, digits 1-7, from the empty board (e.g. 4453).",
    subcommands = {Connect4SelfPlayCommand.class, AnalyzeCommand.class, SolveCommand.class,
        PlayCommand.class})
public final class Connect4Command implements Runnable {

  @ParentCommand
  private PonderCommand parent;

  /** Standard input, for {@code play}. */
  BufferedReader in() {
    return parent.in();
  }

  @Override
  public void run() {
    throw new UsageException("choose an action for connect4: selfplay, analyze, solve or play"
        + " (see connect4 --help)");
  }
}
