package dev.ponder.mcts;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds and reads {@link EvaluationBatch}es the way the search does, for tests of evaluators (shipped
 * in the mcts-core test-jar beside the test kit).
 */
public final class TestBatches {

  private TestBatches() {}

  /** A batch of {@code states}, the legal actions of row i being {@code legal[i]}. */
  public static <S> EvaluationBatch<S> of(int actionCount, List<S> states, int[][] legal) {
    EvaluationBatch<S> batch = new EvaluationBatch<>(actionCount);
    batch.clear();
    SplittableRandom random = new SplittableRandom(0);
    for (int i = 0; i < states.size(); i++) {
      batch.add(states.get(i), 0, legal[i], legal[i].length, random);
    }
    return batch;
  }

  /** A batch of {@code states} where every action is legal. */
  public static <S> EvaluationBatch<S> allLegal(int actionCount, List<S> states) {
    int[][] legal = new int[states.size()][actionCount];
    for (int[] row : legal) {
      for (int a = 0; a < actionCount; a++) {
        row[a] = a;
      }
    }
    return of(actionCount, states, legal);
  }

  /** The search's check and normalisation of the answers. */
  public static void checkAndNormalize(EvaluationBatch<?> batch) {
    batch.checkAndNormalize("test");
  }

  /** The normalised prior of the k-th legal action of a row. */
  public static float prior(EvaluationBatch<?> batch, int row, int k) {
    return batch.prior(row, k);
  }

  /** The value of a row. */
  public static double value(EvaluationBatch<?> batch, int row) {
    return batch.value(row);
  }
}
