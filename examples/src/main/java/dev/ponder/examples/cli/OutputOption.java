package dev.ponder.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --json} option, shared by every command through a mixin. */
final class OutputOption {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object per line; the last is {\"summary\": {...}}.")
  private boolean json;

  /** The printer of the command this mixin is in. */
  Printer printer() {
    return new Printer(spec.commandLine().getOut(), json);
  }
}
