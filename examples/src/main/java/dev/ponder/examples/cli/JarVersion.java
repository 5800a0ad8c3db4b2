package dev.ponder.examples.cli;

import picocli.CommandLine;

/**
 * What {@code -V} prints: a program's name and the version of the jar it runs from (the manifest's
 * {@code Implementation-Version}, which the build writes), the same for a command and every
 * subcommand.
 */
public final class JarVersion implements CommandLine.IVersionProvider {

  private final String program;

  private JarVersion(String program) {
    this.program = program;
  }

  /** Gives {@code cli} and all its subcommands the version of {@code program}. */
  public static void apply(CommandLine cli, String program) {
    JarVersion version = new JarVersion(program);
    applyTo(cli, version);
  }

  private static void applyTo(CommandLine cli, JarVersion version) {
    cli.getCommandSpec().versionProvider(version);
    for (CommandLine sub : cli.getSubcommands().values()) {
      applyTo(sub, version);
    }
  }

  @Override
  public String[] getVersion() {
    String version = JarVersion.class.getPackage().getImplementationVersion();
    return new String[] {program + " " + (version != null ? version : "(version unknown: not run from its jar)")};
  }
}
