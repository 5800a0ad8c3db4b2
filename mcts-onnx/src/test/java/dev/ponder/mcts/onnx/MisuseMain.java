package dev.ponder.mcts.onnx;

import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Misuse of an evaluator, run in its own JVM by {@link ForkedMisuseTest}: a native crash would kill
 * this process, not the test runner. Prints one line per scenario that behaved, and exits 0 only if
 * all did.
 */
public final class MisuseMain {

  private MisuseMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("ponder-misuse");
    Path file = PolicyValueMlp.random(42, new int[] {32}, 7, 1).export(42)
        .write(dir.resolve("m.onnx"));
    for (int round = 0; round < 5; round++) {
      closeWhileManyThreadsEvaluate(file);
    }
    System.out.println("OK close during evaluation");
    for (int round = 0; round < 5; round++) {
      closeWhileStagesRun(file);
    }
    System.out.println("OK close during staged runs");
    for (int round = 0; round < 5; round++) {
      closeAStageWhileItRuns(file, round % 2 == 1);
    }
    System.out.println("OK stage closed during its steps");

    OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, Reference.arrays(42), 7).build();
    eval.close();
    try {
      eval.evaluate(batch(4));
      throw new AssertionError("evaluate after close did not throw");
    } catch (IllegalStateException expected) {
      System.out.println("OK evaluate after close: " + expected.getMessage());
    }

    ObservationEncoder<float[]> tooShort = new ObservationEncoder<>() {
      @Override
      public int[] shape() {
        return new int[] {42};
      }

      @Override
      public void encode(float[] state, FloatBuffer out) {
        out.put(state, 0, 41);
      }
    };
    try (OnnxEvaluator<float[]> wrong = OnnxEvaluator.builder(file, tooShort, 7).build()) {
      wrong.evaluate(batch(4));
      throw new AssertionError("a short observation did not throw");
    } catch (IllegalStateException expected) {
      System.out.println("OK wrong observation size: " + expected.getMessage());
    }
    try (OnnxEvaluator<float[]> wrong = OnnxEvaluator.builder(file, Reference.arrays(42), 7)
        .build()) {
      EvaluationBatch<float[]> batch = TestBatches.allLegal(7, List.of(new float[43]));
      wrong.evaluate(batch);
      throw new AssertionError("a long observation did not throw");
    } catch (IllegalStateException expected) {
      System.out.println("OK long observation: " + expected.getMessage());
    }
    System.out.println("OK all");
    System.exit(0);
  }

  private static EvaluationBatch<float[]> batch(int rows) {
    List<float[]> states = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      states.add(new float[42]);
    }
    return TestBatches.allLegal(7, states);
  }

  /**
   * Four threads each encode with their own stage and hand the run to a second thread of their own,
   * then decode, in a loop; once each has run a few, the evaluator is closed. Every step after that
   * must fail with "is closed", never crash.
   */
  private static void closeWhileStagesRun(Path file) throws Exception {
    OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(42), 7).build();
    untilClosed(4, () -> {
      dev.ponder.mcts.StagedEvaluator.Stage<float[]> stage = eval.newStage();
      return new Worker() {
        @Override
        public void call(int done) throws Throwable {
          EvaluationBatch<float[]> b = batch(1 + done % 64);
          stage.encode(b);
          AtomicReference<Throwable> ran = new AtomicReference<>();
          Thread runner = new Thread(() -> {
            try {
              stage.run();
            } catch (Throwable e) {
              ran.set(e);
            }
          });
          runner.start();
          runner.join();
          if (ran.get() != null) {
            throw ran.get();
          }
          stage.decode(b);
        }

        @Override
        public void close() {
          stage.close();
        }
      };
    }, () -> eval.close());
  }

  /**
   * One thread encodes, runs and decodes with a stage in a loop while another closes that stage (a
   * breach of the stage's contract, which once crashed the JVM): the close waits for the step under way
   * and later steps fail with "is closed"; the evaluator itself still works.
   */
  private static void closeAStageWhileItRuns(Path file, boolean sessionPerStage) throws Exception {
    try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, Reference.arrays(42), 7)
        .sessionPerStage(sessionPerStage).build()) {
      dev.ponder.mcts.StagedEvaluator.Stage<float[]> stage = eval.newStage();
      untilClosed(1, () -> done -> {
        EvaluationBatch<float[]> b = batch(1 + done % 64);
        stage.encode(b);
        stage.run();
        stage.decode(b);
      }, stage::close);
      eval.evaluate(batch(3));
    }
  }

  /** Eight threads evaluate in a loop; once each has run a few calls, three threads close the evaluator. */
  private static void closeWhileManyThreadsEvaluate(Path file) throws Exception {
    OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(42), 7).build();
    untilClosed(8, () -> done -> eval.evaluate(batch(1 + done % 64)), () -> {
      Thread[] closers = new Thread[3];
      for (int i = 0; i < closers.length; i++) {
        closers[i] = new Thread(eval::close);
        closers[i].start();
      }
      for (Thread closer : closers) {
        closer.join();
      }
    });
  }

  /** What one thread of {@link #untilClosed} calls in a loop, and closes at the end. */
  private interface Worker extends AutoCloseable {
    void call(int done) throws Throwable;

    @Override
    default void close() {}
  }

  private interface Action {
    void run() throws Exception;
  }

  private interface WorkerFactory {
    Worker open() throws Exception;
  }

  /**
   * {@code threads} threads each open a worker and call it in a loop until the evaluator is closed;
   * once each has made 20 calls, {@code close} closes it. Every failure must be "... is closed".
   */
  private static void untilClosed(int threads, WorkerFactory workers, Action close) throws Exception {
    CountDownLatch warm = new CountDownLatch(threads);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        int calls = 0;
        try (Worker worker = workers.open()) {
          while (true) {
            worker.call(calls);
            if (++calls == 20) {
              warm.countDown();
            }
          }
        } catch (IllegalStateException e) {
          if (!e.getMessage().endsWith("is closed")) {
            failure.compareAndSet(null, e);
          }
          if (calls < 20) {
            warm.countDown();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          warm.countDown();
        }
      });
      running.add(thread);
      thread.start();
    }
    warm.await();
    close.run();
    for (Thread thread : running) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a worker failed", failure.get());
    }
  }
}
