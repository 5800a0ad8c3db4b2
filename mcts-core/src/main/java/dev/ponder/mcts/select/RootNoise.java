package dev.ponder.mcts.select;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;

/**
 * Dirichlet noise mixed into the root's priors for exploration in self-play:
 * {@code P'(a) = (1 - fraction) * P(a) + fraction * eta(a)}, {@code eta ~ Dir(alpha)}. Drawn anew at the
 * start of every search from the search's seeded generator; the priors stored in the tree are unchanged.
 *
 * <p>Reference: D. Silver et al., "Mastering the game of Go without human knowledge", Nature 550 (2017).
 *
 * @param alpha the Dirichlet concentration; AlphaZero used 0.3 for chess, 0.03 for Go
 * @param fraction the weight of the noise in {@code [0, 1]}; 0 turns noise off
 */
public record RootNoise(double alpha, double fraction) {

  /** Checks the parameters. */
  public RootNoise {
    checkArgument(alpha > 0 && Double.isFinite(alpha), "RootNoise.alpha must be positive, was %s", alpha);
    checkArgument(fraction >= 0 && fraction <= 1, "RootNoise.fraction must be in [0, 1], was %s", fraction);
  }

  /** No noise. */
  public static RootNoise none() {
    return new RootNoise(1, 0);
  }

  /** Dirichlet noise with the given concentration and AlphaZero's weight of 0.25. */
  public static RootNoise dirichlet(double alpha) {
    return new RootNoise(alpha, 0.25);
  }

  /** Whether this adds any noise. */
  public boolean enabled() {
    return fraction > 0;
  }

  /** Mixes noise into {@code priors[0..n)} in place. */
  public void apply(double[] priors, int n, SplittableRandom random) {
    checkNotNull(priors, "priors must not be null");
    checkNotNull(random, "random must not be null");
    checkArgument(n >= 0 && n <= priors.length, "n must be in [0, priors.length = %s], was %s", priors.length,
        n);
    double[] eta = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      eta[i] = gamma(alpha, random);
      sum += eta[i];
    }
    for (int i = 0; i < n; i++) {
      double noise = sum > 0 ? eta[i] / sum : 1.0 / n;
      priors[i] = (1 - fraction) * priors[i] + fraction * noise;
    }
  }

  /**
   * A Gamma(shape, 1) sample by Marsaglia and Tsang's method ("A simple method for generating gamma
   * variables", ACM TOMS 26, 2000), with the usual boost for shape below 1.
   */
  static double gamma(double shape, SplittableRandom random) {
    if (shape < 1) {
      double u = random.nextDouble();
      return gamma(shape + 1, random) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = gaussian(random);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
