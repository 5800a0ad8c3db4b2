package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetworkTurnTest {

  @Test
  void twoThreadsNeverHoldTheTurnAtOnceAndEveryTakeIsServed() throws Exception {
    NetworkTurn turn = new NetworkTurn();
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger turns = new AtomicInteger();
    Runnable side = () -> {
      for (int i = 0; i < 100_000; i++) {
        assertThat(turn.take(() -> false)).isTrue();
        most.accumulateAndGet(holders.incrementAndGet(), Math::max);
        if (i % 10_000 == 0) {
          LockSupport.parkNanos(200_000); // now and then a turn long enough to make the other park
        }
        turns.incrementAndGet();
        holders.decrementAndGet();
        turn.release();
        for (int k = i % 64; k > 0; k--) { // a little search between turns, of varied length
          Thread.onSpinWait();
        }
      }
    };
    CompletableFuture<Void> other = CompletableFuture.runAsync(side);
    side.run();
    other.get(30, TimeUnit.SECONDS);
    assertThat(most.get()).isEqualTo(1);
    assertThat(turns.get()).isEqualTo(200_000);
  }

  @Test
  void aWaiterParkedPastItsSpinsGetsTheTurnWhenItEnds() throws Exception {
    NetworkTurn turn = new NetworkTurn();
    assertThat(turn.take(() -> false)).isTrue();
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> turn.take(() -> false));
    LockSupport.parkNanos(20_000_000); // well past the waiter's spins: it parks
    assertThat(waiter).isNotDone();
    turn.release();
    assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aStoppedWaitEndsWithoutTheTurn() throws Exception {
    NetworkTurn turn = new NetworkTurn();
    assertThat(turn.take(() -> false)).isTrue();
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> turn.take(stop::get));
    LockSupport.parkNanos(5_000_000);
    stop.set(true);
    assertThat(waiter.get(10, TimeUnit.SECONDS)).isFalse();
    turn.release();
    assertThat(turn.take(() -> false)).as("the turn is free again").isTrue();
  }
}
