package dev.ponder.examples.cli;

import picocli.CommandLine.Option;

/** The search options of the Connect Four commands that search single positions (analyze, play). */
final class SearchOptions {

  @Option(names = "--simulations", defaultValue = "20000", paramLabel = "S",
      description = "Simulations per search, at least 1 (a search also stops when its tree fills half the"
          + " heap). Default: ${DEFAULT-VALUE}.")
  long simulations;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "X", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  /** Checks the values; throws {@link UsageException} naming the bad option. */
  void validate() {
    UsageException.require(simulations >= 1, "--simulations must be at least 1, was %s", simulations);
  }
}
