package dev.ponder.mcts;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The states a search hands to an {@link Evaluator} in one call, and the evaluator's answers.
 *
 * <p>For every row the evaluator must write a value ({@link #setValue}), from the point of view of the
 * player to move in that row's state, and may write priors over the row's legal actions, either one by
 * one ({@link #setPrior}, non-negative weights that the search normalises) or from logits over the whole
 * action space ({@link #setPriorLogits}, a softmax over the legal actions only). Rows whose priors are
 * never written, or all zero, get uniform priors. Values must be finite and at most 1e30 in magnitude;
 * those that are not, and negative or non-finite priors, are rejected with an
 * {@link InvalidEvaluationException} naming the evaluator, the row and the number.
 *
 * <p>A batch is owned by the search and reused between calls: an evaluator must not keep it, or any
 * state from it, after {@link Evaluator#evaluate} returns. Not thread-safe.
 *
 * @param <S> the state type
 */
public final class EvaluationBatch<S> {

  private final int actionCount;
  private int size;
  private Object[] states;
  private int[] players;
  private int[] legalStart; // row -> offset into legal / priors; legalStart[size] is the end
  private int[] legal;
  private float[] priors;
  private double[] values;
  private boolean[] valueSet;
  private boolean[] fromLogits; // the row's priors were set by setPriorLogits: name logits in errors
  private SplittableRandom[] randoms;

  /** An empty batch for an action space of {@code actionCount} actions. */
  public EvaluationBatch(int actionCount) {
    checkArgument(actionCount > 0, "actionCount must be positive, was %s", actionCount);
    this.actionCount = actionCount;
    int rows = 8;
    states = new Object[rows];
    players = new int[rows];
    legalStart = new int[rows + 1];
    legal = new int[rows * Math.min(actionCount, 64)];
    priors = new float[legal.length];
    values = new double[rows];
    valueSet = new boolean[rows];
    fromLogits = new boolean[rows];
    randoms = new SplittableRandom[rows];
  }

  /** Number of rows (states) in the batch. */
  public int size() {
    return size;
  }

  /** Size A of the action space. */
  public int actionCount() {
    return actionCount;
  }

  /** The state of a row. */
  @SuppressWarnings("unchecked")
  public S state(int row) {
    checkElementIndex(row, size, "row");
    return (S) states[row];
  }

  /** The player to move in a row's state. */
  public int player(int row) {
    checkElementIndex(row, size, "row");
    return players[row];
  }

  /** Number of legal actions of a row's state. */
  public int legalCount(int row) {
    checkElementIndex(row, size, "row");
    return legalStart[row + 1] - legalStart[row];
  }

  /** The {@code k}-th legal action of a row, in {@code [0, actionCount())}. */
  public int legalAction(int row, int k) {
    checkElementIndex(k, legalCount(row), "legal action index");
    return legal[legalStart[row] + k];
  }

  /** Sets the prior weight of the {@code k}-th legal action of a row (non-negative; normalised later). */
  public void setPrior(int row, int k, float weight) {
    checkElementIndex(k, legalCount(row), "legal action index");
    priors[legalStart[row] + k] = weight;
    fromLogits[row] = false;
  }

  /**
   * Sets a row's priors to the softmax, over its legal actions only, of logits laid out over the whole
   * action space: the logit of action {@code a} is {@code logits[offset + a]}. Illegal actions are
   * masked before the softmax. Non-finite logits of legal actions are rejected when the batch is
   * checked; if every legal action underflows to zero the row gets uniform priors.
   */
  public void setPriorLogits(int row, float[] logits, int offset) {
    checkElementIndex(row, size, "row");
    checkNotNull(logits, "logits must not be null");
    checkArgument(offset >= 0 && offset <= logits.length - actionCount,
        "logits must hold %s entries from offset %s, length is %s", actionCount, offset, logits.length);
    int from = legalStart[row];
    int to = legalStart[row + 1];
    fromLogits[row] = true;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      float logit = logits[offset + legal[i]];
      if (Float.isNaN(logit) || logit == Float.POSITIVE_INFINITY) {
        Arrays.fill(priors, from, to, 0f);
        priors[i] = logit; // the check reports it, with its action, as a logit
        return;
      }
      max = Math.max(max, logit);
    }
    for (int i = from; i < to; i++) {
      float logit = logits[offset + legal[i]];
      priors[i] = max == Float.NEGATIVE_INFINITY ? 0f : expOfNonPositive(logit - max);
    }
  }

  private static final float LOG2_E = 1.44269504f;
  private static final float LN2_HIGH = 0.693145751953125f; // ln 2 in two parts: n * LN2_HIGH is exact
  private static final float LN2_LOW = 1.42860677e-6f;
  private static final float ROUNDER = 12582912f; // 1.5 * 2^23: adding it rounds to an integer

  /**
   * {@code e^x} for {@code x <= 0} (NaN for NaN) in single precision, within 2 ulp of
   * {@code (float) Math.exp(x)} (1 measured): 0 below the log of the smallest normal float. Plain float
   * arithmetic, so every JVM on every platform gives the same bits (which {@code Math.exp} does not
   * promise), and a softmax row costs a few multiplies per action instead of a call into the JVM's math
   * library. Method: x = n ln 2 + r with |r| <= ln 2 / 2, then e^x = 2^n e^r, e^r by its Taylor
   * polynomial of degree 7.
   */
  static float expOfNonPositive(float x) {
    if (x < -87.33654f) { // below ln of the smallest normal float, and -infinity
      return 0f;
    }
    float shifted = x * LOG2_E + ROUNDER;
    int n = Float.floatToRawIntBits(shifted) - Float.floatToRawIntBits(ROUNDER);
    float k = shifted - ROUNDER;
    float r = (x - k * LN2_HIGH) - k * LN2_LOW;
    float p = 1f / 5040;
    p = p * r + 1f / 720;
    p = p * r + 1f / 120;
    p = p * r + 1f / 24;
    p = p * r + 1f / 6;
    p = p * r + 0.5f;
    p = p * r + 1f;
    p = p * r + 1f;
    return p * Float.intBitsToFloat((n + 127) << 23);
  }

  /**
   * Sets the value of a row's state, from the point of view of its player to move: finite, and at most
   * 1e30 in magnitude (the tree keeps means in single precision).
   */
  public void setValue(int row, double value) {
    checkElementIndex(row, size, "row");
    values[row] = value;
    valueSet[row] = true;
  }

  /**
   * The seeded random generator of the search that asked for a row, for evaluators that need randomness
   * (rollouts): drawing from it keeps every search reproducible, whatever else shares the batch.
   */
  public SplittableRandom random(int row) {
    checkElementIndex(row, size, "row");
    return randoms[row];
  }

  // ---- used by the search ----

  void clear() {
    Arrays.fill(states, 0, size, null);
    Arrays.fill(randoms, 0, size, null);
    size = 0;
    legalStart[0] = 0;
  }

  /**
   * Adds a row for a search whose generator is {@code random}; its legal actions are
   * {@code actions[0..count)}. Returns the row.
   */
  int add(S state, int player, int[] actions, int count, SplittableRandom random) {
    if (size == states.length) {
      int rows = size * 2;
      states = Arrays.copyOf(states, rows);
      players = Arrays.copyOf(players, rows);
      legalStart = Arrays.copyOf(legalStart, rows + 1);
      values = Arrays.copyOf(values, rows);
      valueSet = Arrays.copyOf(valueSet, rows);
      fromLogits = Arrays.copyOf(fromLogits, rows);
      randoms = Arrays.copyOf(randoms, rows);
    }
    int start = legalStart[size];
    if (start + count > legal.length) {
      int length = Math.max(legal.length * 2, start + count);
      legal = Arrays.copyOf(legal, length);
      priors = Arrays.copyOf(priors, length);
    }
    System.arraycopy(actions, 0, legal, start, count);
    Arrays.fill(priors, start, start + count, 0f);
    int row = size++;
    states[row] = state;
    randoms[row] = random;
    players[row] = player;
    legalStart[row + 1] = start + count;
    values[row] = Double.NaN;
    valueSet[row] = false;
    fromLogits[row] = false;
    return row;
  }

  /**
   * Checks the evaluator's answers and normalises every row's priors to sum to one.
   *
   * @throws InvalidEvaluationException naming the evaluator, row and offending number
   */
  void checkAndNormalize(Object evaluator) {
    for (int row = 0; row < size; row++) {
      if (!valueSet[row]) {
        throw new InvalidEvaluationException(String.format(
            "evaluator %s wrote no value for batch row %d of %d", evaluator, row, size));
      }
      if (!Magnitude.accepted(values[row])) {
        throw new InvalidEvaluationException(String.format(
            "evaluator %s returned value %s for batch row %d (state %s); values must be finite and at most"
                + " %s in magnitude", evaluator, values[row], row, states[row], Magnitude.MAX));
      }
      int from = legalStart[row];
      int to = legalStart[row + 1];
      double sum = 0;
      for (int i = from; i < to; i++) {
        float p = priors[i];
        if (!(p >= 0f) || p == Float.POSITIVE_INFINITY) {
          throw new InvalidEvaluationException(fromLogits[row]
              ? String.format("evaluator %s returned logit %s for action %d of batch row %d (state %s); logits"
                  + " must be finite, or -Infinity for an action never to take", evaluator, p, legal[i], row,
                  states[row])
              : String.format("evaluator %s returned prior %s for action %d of batch row %d (state %s); priors"
                  + " must be finite and non-negative", evaluator, p, legal[i], row, states[row]));
        }
        sum += p;
      }
      if (sum > 0) {
        double inverse = 1.0 / sum; // in double: for subnormal priors it overflows a float
        for (int i = from; i < to; i++) {
          priors[i] = (float) (priors[i] * inverse);
        }
      } else {
        Arrays.fill(priors, from, to, 1f / (to - from));
      }
    }
  }

  double value(int row) {
    return values[row];
  }

  boolean hasValue(int row) {
    return valueSet[row];
  }

  /** The prior weight of the {@code k}-th legal action as written by the evaluator (before the check). */
  float writtenPrior(int row, int k) {
    return priors[legalStart[row] + k];
  }

  /** The normalised prior of the {@code k}-th legal action, after {@link #checkAndNormalize}. */
  float prior(int row, int k) {
    return priors[legalStart[row] + k];
  }

  int legalStart(int row) {
    return legalStart[row];
  }

  int[] legalArray() {
    return legal;
  }

  float[] priorArray() {
    return priors;
  }
}
