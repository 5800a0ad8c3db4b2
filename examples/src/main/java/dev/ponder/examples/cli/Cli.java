package dev.ponder.examples.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.onnx.ModelLoadException;
import dev.ponder.mcts.onnx.OnnxRunException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Builds and runs the {@code ponder-examples} command line. Exit codes: 0 on success, 2 for bad input
 * (a one-line message on stderr naming the problem), 1 for an unexpected failure (also one line).
 * Bad input includes a bad {@code --model}: a file that is missing, unreadable, not ONNX or does not fit
 * the game (found when it loads), or a network that outputs NaN, infinite or out-of-range numbers or
 * that ONNX Runtime fails to run (found during the search). {@link #isBadInput} is the one mapping.
 */
public final class Cli {

  /** Exit code for bad input. */
  public static final int USAGE = 2;
  /** Exit code for an unexpected failure. */
  public static final int FAILURE = 1;

  private Cli() {}

  /** Runs with the process's standard streams. */
  public static int run(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return run(args, System.in, out, err);
  }

  /** Runs with the given streams (for tests and embedding); returns the exit code. */
  public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    CommandLine cli = commandLine(reader);
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The command tree, with one-line error handlers. */
  static CommandLine commandLine(BufferedReader in) {
    CommandLine cli = new CommandLine(new PonderCommand(in));
    JarVersion.apply(cli, "ponder-examples");
    cli.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("error: " + oneLine(e.getMessage()) + " (see --help)");
      return USAGE;
    });
    cli.setExecutionExceptionHandler((e, command, parseResult) -> {
      PrintWriter err = command.getErr();
      if (isBadInput(e)) {
        err.println("error: " + oneLine(e.getMessage()));
        return USAGE;
      }
      err.println("internal error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
      return FAILURE;
    });
    return cli;
  }

  /**
   * Whether a command failed because of what the user gave it (exit code {@link #USAGE}, the message
   * printed as is) rather than a bug ({@link #FAILURE}). Every such exception's message names the
   * problem (and, for a model, the file).
   */
  static boolean isBadInput(Exception e) {
    return e instanceof UsageException                // an option checked while running
        || e instanceof IllegalArgumentException      // a value the library rejects
        || e instanceof ModelLoadException            // --model: missing, not ONNX, wrong tensors
        || e instanceof InvalidEvaluationException    // --model: NaN/infinite/out-of-range outputs
        || e instanceof OnnxRunException;             // --model: ONNX Runtime failed to run it
  }

  private static String oneLine(String message) {
    return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** Text of a command's usage help, for tests. */
  static String usage(String... path) {
    CommandLine c = commandLine(new BufferedReader(new InputStreamReader(InputStream.nullInputStream(),
        StandardCharsets.UTF_8)));
    for (String name : path) {
      c = c.getSubcommands().get(name);
    }
    StringWriter w = new StringWriter();
    c.usage(new PrintWriter(w));
    return w.toString();
  }
}
