package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.shedding.guard.internal.SharedTimer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TimeoutTest {
  private final SharedTimer timer = new SharedTimer("timeout-test");
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    timer.shutdown();
    executor.shutdownNow();
  }

  private Guard<Integer> guard(TimeoutPolicy policy) {
    return Guard.<Integer>builder().timeout(policy).timer(timer).build();
  }

  @Test
  void syncTimeoutInterruptsTheCallerAndThrowsWhenTheWorkReturns() {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofMillis(50)));
    AtomicBoolean sawInterrupt = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      try {
                        Thread.sleep(30_000);
                      } catch (InterruptedException e) {
                        sawInterrupt.set(true);
                        throw e;
                      }
                      return 1;
                    }))
        .isInstanceOf(CallTimeoutException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(sawInterrupt).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(guard.snapshot().timeouts()).isEqualTo(1);
    assertThat(timer.pending()).isZero();
  }

  @Test
  void syncTimeoutWithoutInterruptLetsTheWorkFinishThenThrows() {
    Guard<Integer> guard = guard(TimeoutPolicy.builder(Duration.ofMillis(20)).interrupt(false).build());
    AtomicBoolean interrupted = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(120);
                      while (System.nanoTime() < end) {
                        if (Thread.currentThread().isInterrupted()) {
                          interrupted.set(true);
                        }
                        Thread.onSpinWait();
                      }
                      return 7;
                    }))
        .isInstanceOf(CallTimeoutException.class)
        .hasNoCause();
    assertThat(interrupted).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void workThatFinishesInTimeReturnsItsValueAndLeavesNoTimerEntry() throws Exception {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofSeconds(10)));
    assertThat(guard.call(() -> 42)).isEqualTo(42);
    assertThatThrownBy(() -> guard.call(() -> { throw new IllegalStateException("boom"); }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
    assertThat(timer.pending()).isZero();
    assertThat(guard.snapshot().timeouts()).isZero();
  }

  /** The deadline and the work's completion race; whichever wins, the interrupt must not leak. */
  @Test
  void interruptNeverLeaksWhenTheDeadlineRacesCompletion() {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofNanos(20_000)));
    int timedOut = 0;
    int returned = 0;
    for (int i = 0; i < 3_000; i++) {
      long spin = (i % 40) * 1_000L; // 0..39 µs around the 20 µs deadline
      try {
        int value =
            guard.call(
                () -> {
                  long end = System.nanoTime() + spin;
                  while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                  }
                  return 1;
                });
        assertThat(value).isEqualTo(1);
        returned++;
      } catch (CallTimeoutException e) {
        timedOut++;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(Thread.interrupted()).as("interrupt leaked after call %d", i).isFalse();
    }
    assertThat(timedOut + returned).isEqualTo(3_000);
    assertThat(guard.snapshot().timeouts()).isEqualTo(timedOut);
  }

  @Test
  void anInterruptTheCallerAlreadyHadIsKept() {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofMillis(20)));
    Thread.currentThread().interrupt();
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                      while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                      }
                      return 1;
                    }))
        .isInstanceOf(CallTimeoutException.class);
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void executorOptionAnswersAtTheDeadlineEvenIfTheWorkIgnoresInterrupts() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    Guard<Integer> guard =
        guard(TimeoutPolicy.builder(Duration.ofMillis(50)).executor(executor).build());
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      while (release.getCount() > 0) {
                        if (Thread.currentThread().isInterrupted()) {
                          cancelled.countDown();
                          Thread.interrupted(); // ignores it, keeps running
                        }
                        Thread.onSpinWait();
                      }
                      return 1;
                    }))
        .isInstanceOf(CallTimeoutException.class);
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(waitedMillis).isLessThan(20_000); // returned while the work was still running
    assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue(); // and the work was interrupted
    release.countDown();
    assertThat(guard.call(() -> 5)).isEqualTo(5);
  }

  @Test
  void asyncTimeoutFailsTheFutureAndCancellationReachesTheWork() throws Exception {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofMillis(50)));
    CountDownLatch workSawCancel = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<Integer> result =
        guard.callAsync(
            () -> {
              CompletableFuture<Integer> work = new CompletableFuture<>();
              started.incrementAndGet();
              executor.execute(
                  () -> {
                    // Cooperative work: checks its future's cancellation between steps.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!work.isCancelled() && System.nanoTime() < deadline) {
                      Thread.onSpinWait();
                    }
                    if (work.isCancelled()) {
                      workSawCancel.countDown();
                    }
                  });
              return work;
            });
    assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(CallTimeoutException.class);
    assertThat(workSawCancel.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(started).hasValue(1);
    assertThat(guard.snapshot().timeouts()).isEqualTo(1);
    assertThat(timer.pending()).isZero();
  }

  @Test
  void asyncTimeoutInterruptsAFutureTaskBackedWork() throws Exception {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofMillis(50)));
    CountDownLatch interrupted = new CountDownLatch(1);
    CompletableFuture<Integer> result =
        guard.callAsync(
            () -> {
              CompletableFuture<Integer> work = new CompletableFuture<>();
              java.util.concurrent.Future<?> task =
                  executor.submit(
                      () -> {
                        try {
                          Thread.sleep(30_000);
                          work.complete(1);
                        } catch (InterruptedException e) {
                          interrupted.countDown();
                        }
                      });
              // Propagate cancellation of the future to the thread running the work.
              work.whenComplete((v, e) -> task.cancel(true));
              return work;
            });
    assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CallTimeoutException.class);
    assertThat(interrupted.await(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void hundredThousandFastSyncCallsLeaveNothingOnTheTimer() throws Exception {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofSeconds(30)));
    int maxPending = 0;
    for (int i = 0; i < 100_000; i++) {
      int n = i;
      assertThat(guard.call(() -> n)).isEqualTo(n);
      if (i % 1_000 == 0) {
        maxPending = Math.max(maxPending, timer.pending());
      }
    }
    assertThat(maxPending).isZero();
    assertThat(timer.pending()).isZero();
    assertThat(guard.snapshot().calls()).isEqualTo(100_000);
  }

  @Test
  void hundredThousandFastAsyncCallsLeaveNothingOnTheTimer() {
    Guard<Integer> guard = guard(TimeoutPolicy.of(Duration.ofSeconds(30)));
    for (int i = 0; i < 100_000; i++) {
      CompletableFuture<Integer> work = new CompletableFuture<>();
      CompletableFuture<Integer> result = guard.callAsync(() -> work);
      assertThat(timer.pending()).isLessThanOrEqualTo(1);
      work.complete(i);
      assertThat(result.join()).isEqualTo(i);
    }
    assertThat(timer.pending()).isZero();
    assertThat(guard.snapshot().successes()).isEqualTo(100_000);
  }

  @Test
  void badTimeoutsFailAtBuild() {
    assertThatThrownBy(() -> TimeoutPolicy.of(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> TimeoutPolicy.of(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("timeout: ");
    assertThatThrownBy(() -> TimeoutPolicy.builder(Duration.ofSeconds(1)).executor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor");
  }
}
