package dev.ponder.examples.cli;

import dev.ponder.examples.json.Json;
import java.io.PrintWriter;

/**
 * Where a command writes its results: readable text, or with {@code --json} one JSON object per line
 * (the last one {@code {"summary": {...}}}).
 */
final class Printer {

  private final PrintWriter out;
  private final boolean json;

  Printer(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** Whether the output is JSON lines. */
  boolean json() {
    return json;
  }

  /** Writes a line of text (text mode only). */
  void text(String line) {
    if (!json) {
      out.println(line);
      out.flush();
    }
  }

  /** Writes text without a line break, for a prompt (text mode only). */
  void prompt(String text) {
    if (!json) {
      out.print(text);
      out.flush();
    }
  }

  /** Writes a message about bad interactive input: a line of text, or a JSON {@code {"error": ...}}. */
  void error(String message) {
    text(message);
    record(Json.object().put("error", message));
  }

  /** Writes one JSON line (JSON mode only). */
  void record(Json record) {
    if (json) {
      out.println(record);
      out.flush();
    }
  }

  /** Writes the final JSON line {@code {"summary": summary}} (JSON mode only). */
  void summary(Json summary) {
    record(Json.object().put("summary", summary));
  }
}
