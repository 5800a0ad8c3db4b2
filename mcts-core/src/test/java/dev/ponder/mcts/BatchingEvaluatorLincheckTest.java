package dev.ponder.mcts;

import java.time.Duration;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Lincheck (stress mode) on the batch queue: concurrent evaluations through a {@link BatchingEvaluator}
 * must be linearizable with respect to evaluating each batch alone, i.e. every thread gets the answers
 * of its own states, whatever the dispatcher merged.
 *
 * <p>Runs on JDK 17 to 21 only: lincheck 2.39's bytecode instrumentation (ASM 9.6) cannot read JDK 25
 * class files, so there it would test nothing.
 */
@Param(name = "state", gen = IntGen.class, conf = "0:50")
public class BatchingEvaluatorLincheckTest {

  /**
   * Shared by every invocation: lincheck makes a test instance per invocation, and a dispatcher thread
   * per instance would pile up. Between invocations the evaluator holds no state but its counters.
   */
  private static final BatchingEvaluator<Integer> batching =
      new BatchingEvaluator<>(BatchingEvaluatorTest.ARITHMETIC, 3, Duration.ofNanos(100_000));

  /** Evaluates one state with three legal actions; returns its value and priors as one number. */
  @Operation
  public double evaluate(@Param(name = "state") int state) {
    EvaluationBatch<Integer> batch = TestBatches.of(5, List.of(state), new int[][] {{0, 2, 4}});
    batching.evaluate(batch);
    return batch.value(0) * 1000 + batch.writtenPrior(0, 0) * 100 + batch.writtenPrior(0, 1) * 10
        + batch.writtenPrior(0, 2);
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_21)
  void isLinearizable() {
    StressOptions options = new StressOptions()
        .iterations(20)
        .invocationsPerIteration(100)
        .threads(3)
        .actorsPerThread(3);
    LinChecker.check(BatchingEvaluatorLincheckTest.class, options);
  }
}
