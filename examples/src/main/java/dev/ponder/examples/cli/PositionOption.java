package dev.ponder.examples.cli;

import dev.ponder.examples.connect4.Connect4Position;
import picocli.CommandLine.Option;

/** The {@code --position} option: a Connect Four position as the columns played, digits 1-7. */
final class PositionOption {

  @Option(names = "--position", required = true, paramLabel = "MOVES",
      description = "The moves from the empty board as column digits 1-7, e.g. 4453 (\"\" for the empty board).")
  String moves;

  /**
   * The position, which must be legal and not finished.
   *
   * @throws UsageException naming the problem
   */
  Connect4Position position() {
    Connect4Position p;
    try {
      p = Connect4Position.parse(moves.trim());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    UsageException.require(!p.isWon(), "position %s is already won by the %s player: there is nothing to"
        + " search", p.moves(), p.toPlay() == 1 ? "first" : "second");
    UsageException.require(!p.isFull(), "position %s is a full board (a draw): there is nothing to search",
        p.moves());
    return p;
  }
}
