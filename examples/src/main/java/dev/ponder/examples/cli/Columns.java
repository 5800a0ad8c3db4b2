package dev.ponder.examples.cli;

import java.util.Locale;

/** Formatting helpers for per-column tables. */
final class Columns {

  private Columns() {}

  /** {@code "X"} for player 0, {@code "O"} for player 1. */
  static String stone(int player) {
    return player == 0 ? "X" : "O";
  }

  /** A number with 3 decimals, or {@code "-"} when it is NaN. */
  static String decimal(double d) {
    return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.3f", d);
  }
}
