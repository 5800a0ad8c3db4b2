package dev.ponder.bench;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of a benchmark command's options before it runs: a bad value is a usage error (exit code 2 and
 * a one-line message) that names the option, the value and what was expected.
 */
final class OptionChecks {

  private final CommandSpec spec;

  OptionChecks(CommandSpec spec) {
    this.spec = spec;
  }

  /** {@code value} of {@code option} is at least {@code min}. */
  OptionChecks atLeast(String option, long value, long min) {
    if (value < min) {
      throw new ParameterException(spec.commandLine(),
          String.format("%s must be at least %d, was %d", option, min, value));
    }
    return this;
  }

  /** Every value of the list {@code option} is at least {@code min}. */
  OptionChecks eachAtLeast(String option, List<? extends Number> values, long min) {
    for (Number value : values) {
      if (value.longValue() < min) {
        throw new ParameterException(spec.commandLine(),
            String.format("every value of %s must be at least %d, was %s", option, min, value));
      }
    }
    return this;
  }

  /** Every value of the list {@code option} is at most {@code max}. */
  OptionChecks eachAtMost(String option, List<? extends Number> values, long max) {
    for (Number value : values) {
      if (value.longValue() > max) {
        throw new ParameterException(spec.commandLine(),
            String.format("every value of %s must be at most %d, was %s", option, max, value));
      }
    }
    return this;
  }

  /** {@code value} of {@code option} is at most {@code max}, the value of {@code maxOption}. */
  OptionChecks atMost(String option, long value, String maxOption, long max) {
    if (value > max) {
      throw new ParameterException(spec.commandLine(),
          String.format("%s must be at most %s (%d), was %d", option, maxOption, max, value));
    }
    return this;
  }

  /** {@code value} of {@code option} is a positive, finite number. */
  OptionChecks positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new ParameterException(spec.commandLine(),
          String.format("%s must be a positive number, was %s", option, value));
    }
    return this;
  }
}
