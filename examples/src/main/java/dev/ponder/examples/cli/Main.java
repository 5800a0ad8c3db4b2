package dev.ponder.examples.cli;

/** Entry point of {@code ponder-examples.jar}: runs {@link Cli} and exits with its code. */
public final class Main {

  private Main() {}

  /** Runs the command line; see {@code java -jar ponder-examples.jar --help}. */
  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }
}
