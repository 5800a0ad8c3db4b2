package dev.ponder.examples.cli;

import picocli.CommandLine.Option;

/** Options of the self-play commands. */
final class SelfPlayOptions {

  @Option(names = "--games", required = true, paramLabel = "N", description = "Number of games, at least 1.")
  int games;

  @Option(names = "--simulations", required = true, paramLabel = "S",
      description = "Simulations per move, at least 1 (a search also stops when its tree fills half the heap).")
  long simulations;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "X",
      description = "Seed of the series: game i (from 1) is searched with seed X + i - 1. Default: ${DEFAULT-VALUE}.")
  long seed;

  /** Checks the values; throws {@link UsageException} naming the bad option. */
  void validate() {
    UsageException.require(games >= 1, "--games must be at least 1, was %s", games);
    UsageException.require(simulations >= 1, "--simulations must be at least 1, was %s", simulations);
  }
}
