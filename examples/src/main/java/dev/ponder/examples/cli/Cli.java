package dev.ponder.examples.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Builds and runs the {@code ponder-examples} command line. Exit codes: 0 on success, 2 for bad input
 * (a one-line message on stderr naming the problem), 1 for an unexpected failure (also one line).
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
    cli.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("error: " + oneLine(e.getMessage()) + " (see --help)");
      return USAGE;
    });
    cli.setExecutionExceptionHandler((e, command, parseResult) -> {
      PrintWriter err = command.getErr();
      if (e instanceof UsageException || e instanceof IllegalArgumentException) {
        err.println("error: " + oneLine(e.getMessage()));
        return USAGE;
      }
      err.println("internal error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
      return FAILURE;
    });
    return cli;
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
