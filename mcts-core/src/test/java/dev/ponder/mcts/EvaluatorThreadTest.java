package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The hand-off between an overlapped pool's caller and its evaluator thread. */
class EvaluatorThreadTest {

  /** The task {@code body}, as handed over. */
  private static Runnable running(Runnable body) {
    return body;
  }

  @Test
  void runsEveryHandedOverRunOnceInOrderWhateverSideWaits() {
    // Random pauses on either side send each through its spin and its park paths; a lost wake-up
    // would hang this test.
    int runs = 20_000;
    SplittableRandom random = new SplittableRandom(11);
    int[] order = new int[runs]; // order[n]: the how-many-th run run n was, plus one
    int[] counter = {0}; // evaluator thread only
    Thread[] runner = new Thread[1];
    try (EvaluatorThread thread = new EvaluatorThread("test-evaluator")) {
      int next = 0;
      for (int i = 0; i < runs; i++) {
        while (thread.pending() < EvaluatorThread.CAPACITY && next < runs) {
          int n = next++;
          long pause = random.nextInt(4) == 0 ? random.nextInt(200_000) : 0;
          thread.post(running(() -> {
            runner[0] = Thread.currentThread();
            if (pause > 0) {
              LockSupport.parkNanos(pause);
            }
            order[n] = ++counter[0];
          }));
        }
        if (random.nextInt(4) == 0) {
          LockSupport.parkNanos(random.nextInt(200_000));
        }
        thread.await(); // run i is over, and what it wrote is visible
        assertThat(order[i]).isEqualTo(i + 1);
      }
      assertThat(thread.pending()).isZero();
      assertThat(runner[0].getName()).isEqualTo("test-evaluator");
      assertThat(runner[0].isDaemon()).isTrue();
    }
    assertThat(runner[0].isAlive()).isFalse();
  }

  @Test
  void aFailureGoesToTheAwaitOfItsRunAndTheThreadGoesOn() {
    try (EvaluatorThread thread = new EvaluatorThread("test-evaluator")) {
      thread.post(running(() -> {
        throw new IllegalArgumentException("first");
      }));
      thread.post(running(() -> {}));
      assertThatThrownBy(thread::await).isInstanceOf(IllegalArgumentException.class).hasMessage("first");
      thread.await();
      thread.post(running(() -> {
        throw new StackOverflowError("second");
      }));
      assertThatThrownBy(thread::await).isInstanceOf(StackOverflowError.class).hasMessage("second");
      int[] ran = {0};
      thread.post(running(() -> ran[0]++));
      thread.await();
      assertThat(ran[0]).isEqualTo(1);
      assertThatThrownBy(thread::await).isInstanceOf(IllegalStateException.class)
          .hasMessage("no task is pending");
    }
  }

  @Test
  void noMoreThanTwoRunsArePending() {
    try (EvaluatorThread thread = new EvaluatorThread("test-evaluator")) {
      CountDownLatch release = new CountDownLatch(1);
      thread.post(running(() -> awaitUninterruptibly(release)));
      thread.post(running(() -> {}));
      assertThatThrownBy(() -> thread.post(running(() -> {})))
          .isInstanceOf(IllegalStateException.class).hasMessage("2 tasks are pending already");
      release.countDown();
      thread.await();
      thread.await();
    }
  }

  @Test
  void closeWhileIdleStopsTheThread() {
    EvaluatorThread thread = new EvaluatorThread("test-evaluator");
    thread.post(running(() -> {}));
    thread.await();
    thread.close();
    assertThat(thread.isAlive()).isFalse();
    thread.close(); // idempotent
    assertThatThrownBy(() -> thread.post(running(() -> {})))
        .isInstanceOf(IllegalStateException.class).hasMessage("the search pool is closed");
  }

  @Test
  void closeLetsTheQueuedRunsFinishAndTheirAwaitsAnswer() throws InterruptedException {
    EvaluatorThread thread = new EvaluatorThread("test-evaluator");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    int[] ran = {0};
    thread.post(running(() -> {
      started.countDown();
      awaitUninterruptibly(release);
      ran[0]++;
    }));
    thread.post(running(() -> ran[0]++));
    started.await();
    Thread closer = new Thread(thread::close);
    closer.start(); // waits for the thread, which waits for the release
    release.countDown();
    thread.await();
    thread.await();
    closer.join();
    assertThat(ran[0]).isEqualTo(2);
    assertThat(thread.isAlive()).isFalse();
  }

  @Test
  void anInterruptedCallerStillGetsItsAnswerAndKeepsTheFlag() {
    try (EvaluatorThread thread = new EvaluatorThread("test-evaluator")) {
      CountDownLatch release = new CountDownLatch(1);
      int[] ran = {0};
      thread.post(running(() -> {
        awaitUninterruptibly(release);
        ran[0]++;
      }));
      Thread.currentThread().interrupt();
      Thread releaser = new Thread(release::countDown);
      releaser.start();
      thread.await();
      assertThat(Thread.interrupted()).isTrue(); // and cleared again
      assertThat(ran[0]).isEqualTo(1);
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    com.google.common.util.concurrent.Uninterruptibles.awaitUninterruptibly(latch);
  }
}
