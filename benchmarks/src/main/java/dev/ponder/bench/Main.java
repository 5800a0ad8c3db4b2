package dev.ponder.bench;

import dev.ponder.examples.cli.JarVersion;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark runner, {@code benchmarks/target/ponder-benchmarks.jar}:
 *
 * <pre>
 * java -jar benchmarks/target/ponder-benchmarks.jar core [--seconds 30] [--json]
 * java -jar benchmarks/target/ponder-benchmarks.jar memory [--nodes 1000000] [--json]
 * java -jar benchmarks/target/ponder-benchmarks.jar onnx-efficiency [--batch 64] [--model small|large] [--json]
 * java -jar benchmarks/target/ponder-benchmarks.jar jmh [JMH options, e.g. SearchBenchmark -f 1]
 * </pre>
 *
 * With {@code --json} every line is a JSON object and the last line of each command is its summary.
 */
@Command(name = "ponder-benchmarks", mixinStandardHelpOptions = true,
    description = "Ponder benchmarks: search speed, tree memory, ONNX efficiency; 'jmh' runs the JMH benchmarks.",
    subcommands = {CoreCommand.class, MemoryCommand.class, OnnxEfficiencyCommand.class, Main.Jmh.class})
public final class Main {

  /** Runs a subcommand; {@code jmh ...} hands the rest of the arguments to JMH's own main. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    JarVersion.apply(cli, "ponder-benchmarks");
    cli.setParameterExceptionHandler((e, arguments) -> { // one line, as the examples' command line does
      e.getCommandLine().getErr().println(e.getMessage() + " (see "
          + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
      return CommandLine.ExitCode.USAGE;
    });
    return cli.execute(args);
  }

  /** Placeholder so that {@code jmh} shows in the help; {@link #main} intercepts it. */
  @Command(name = "jmh", description = "Runs the JMH benchmarks: the arguments go to org.openjdk.jmh.Main"
      + " (e.g. 'jmh -l' lists them, 'jmh SearchBenchmark -f 1').")
  static final class Jmh implements Runnable {
    @Override
    public void run() {
      try {
        org.openjdk.jmh.Main.main(new String[0]);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
