package dev.ponder.examples.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One in-process run of the command line: exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {

  static CliRun of(String... args) {
    return withInput("", args);
  }

  static CliRun withInput(String input, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out), new PrintWriter(err));
    return new CliRun(code, out.toString(), err.toString());
  }

  List<String> lines() {
    return out.lines().toList();
  }

  /** The last line, which in JSON mode is the summary. */
  String summary() {
    List<String> lines = lines();
    return lines.get(lines.size() - 1);
  }

  /** The raw JSON value of {@code key} in the summary line (numbers, null or an array). */
  String summaryValue(String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(\\[[^\\]]*\\]|[^,}]*)").matcher(summary());
    if (!m.find()) {
      throw new AssertionError("no key " + key + " in " + summary());
    }
    return m.group(1);
  }
}
