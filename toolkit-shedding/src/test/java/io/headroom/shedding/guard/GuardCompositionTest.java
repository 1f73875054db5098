package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.shedding.Priority;
import io.headroom.shedding.RejectedException;
import io.headroom.shedding.guard.CircuitBreaker.State;
import io.headroom.shedding.guard.CircuitBreaker.WindowType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class GuardCompositionTest {

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void retryWrapsTheBreakerSoEveryAttemptIsRecorded(RetryTest.Form form) {
    CircuitBreaker breaker =
        CircuitBreaker.builder("dep").slidingWindow(WindowType.COUNT_BASED, 100).minimumCalls(100).build();
    Guard<String> guard =
        Guard.<String>builder()
            .retry(RetryPolicy.<String>builder().maxAttempts(3).backoff(Duration.ZERO, Duration.ZERO).build())
            .retryBudget(RetryBudget.unlimited())
            .circuitBreaker(breaker)
            .build();
    assertThatThrownBy(() -> form.call(guard, () -> { throw new IOException(); })).isInstanceOf(IOException.class);
    assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(3);
    assertThat(breaker.snapshot().failureRatePercent()).isEqualTo(100.0);
  }

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void theBreakerDoesNotRecordTheShedderRejectingAndGivesBackItsTrialSlot(RetryTest.Form form) throws Exception {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.builder("dep").permittedCallsInHalfOpen(1).waitInOpen(Duration.ofSeconds(1)).ticker(ticker).build();
    TestLimiter full = new TestLimiter(0);
    Guard<String> shedding =
        Guard.<String>builder().circuitBreaker(breaker).loadShedder(full, Priority.HIGH).ticker(ticker).build();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> form.call(shedding, () -> "x")).isInstanceOf(RejectedException.class);
    }
    assertThat(breaker.snapshot().bufferedCalls()).isZero();
    assertThat(full.lastPriority).isEqualTo(Priority.HIGH);
    assertThat(shedding.snapshot().shedderRejections()).isEqualTo(20);
    // Half-open with one trial slot: a shed attempt must give the slot back.
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> form.call(shedding, () -> "x")).isInstanceOf(RejectedException.class);
    Guard<String> open = Guard.<String>builder().circuitBreaker(breaker).ticker(ticker).build();
    assertThat(form.call(open, () -> "trial")).isEqualTo("trial");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void permitsAreCompletedByTheDocumentedRule() throws Exception {
    TestLimiter limiter = new TestLimiter(10);
    Guard<String> guard =
        Guard.<String>builder()
            .loadShedder(limiter, Priority.NORMAL)
            .timeout(TimeoutPolicy.of(Duration.ofMillis(20)))
            .build();
    assertThat(guard.call(() -> "ok")).isEqualTo("ok");
    assertThatThrownBy(() -> guard.call(() -> { throw new IOException(); })).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> guard.call(() -> {
      Thread.sleep(30_000);
      return "late";
    })).isInstanceOf(CallTimeoutException.class);
    assertThat(limiter.successes).hasValue(1);
    assertThat(limiter.ignores).hasValue(1);
    assertThat(limiter.drops).hasValue(1);
    // Async: same rule, and a cancelled call is ignored.
    assertThat(guard.callAsync(() -> CompletableFuture.completedFuture("ok")).join()).isEqualTo("ok");
    assertThat(guard.callAsync(() -> CompletableFuture.failedFuture(new IOException()))).isCompletedExceptionally();
    CompletableFuture<String> timedOut = guard.callAsync(CompletableFuture::new);
    assertThatThrownBy(() -> timedOut.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CallTimeoutException.class);
    CompletableFuture<String> cancelled = guard.callAsync(CompletableFuture::new);
    cancelled.cancel(true);
    assertThat(limiter.successes).hasValue(2);
    assertThat(limiter.ignores).hasValue(3);
    assertThat(limiter.drops).hasValue(2);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void fallbackIsOutermostAndSeesTheFinalFailureOnly() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    Guard<String> guard =
        Guard.<String>builder()
            .fallback(Fallback.of(e -> {
              seen.add(e.getMessage());
              return "fallback";
            }))
            .retry(RetryPolicy.<String>builder().maxAttempts(3).backoff(Duration.ZERO, Duration.ZERO).build())
            .retryBudget(RetryBudget.unlimited())
            .build();
    assertThat(guard.call(() -> { throw new IOException("attempt " + attempts.incrementAndGet()); })).isEqualTo("fallback");
    assertThat(seen).containsExactly("attempt 3");
  }

  @Test
  void everyPolicyTogetherUnderContentionAccountsForEveryCall() throws Exception {
    TestLimiter limiter = new TestLimiter(4);
    CircuitBreaker breaker =
        CircuitBreaker.builder("all").slidingWindow(WindowType.COUNT_BASED, 50).failureRateThreshold(90).build();
    Guard<Integer> guard =
        Guard.<Integer>builder()
            .fallback(Fallback.of(e -> -1))
            .retry(RetryPolicy.<Integer>builder().maxAttempts(2).backoff(Duration.ZERO, Duration.ZERO).build())
            .retryBudget(RetryBudget.builder().ratio(0.2).build())
            .circuitBreaker(breaker)
            .loadShedder(limiter, Priority.NORMAL)
            .timeout(TimeoutPolicy.of(Duration.ofSeconds(30)))
            .build();
    AtomicInteger results = new AtomicInteger();
    AtomicInteger fallbacks = new AtomicInteger();
    CircuitBreakerTest.runConcurrently(8, 2_000, () -> {
      try {
        int value = guard.call(() -> {
          if (ThreadLocalRandom.current().nextInt(10) == 0) {
            throw new IOException();
          }
          return 1;
        });
        if (value == 1) {
          results.incrementAndGet();
        } else {
          assertThat(value).isEqualTo(-1);
          fallbacks.incrementAndGet();
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    GuardSnapshot snapshot = guard.snapshot();
    assertThat(results.get() + fallbacks.get()).isEqualTo(16_000);
    assertThat(snapshot.calls()).isEqualTo(16_000);
    assertThat(snapshot.successes()).isEqualTo(results.get());
    assertThat(snapshot.failures()).isEqualTo(fallbacks.get());
    assertThat(snapshot.fallbacks()).isEqualTo(fallbacks.get());
    assertThat(limiter.inFlight()).isZero();
    assertThat(snapshot.shedderLimit()).isEqualTo(4);
    assertThat(snapshot.shedderInFlight()).isZero();
    assertThat(snapshot.shedderRejections()).isEqualTo(limiter.rejected.get());
    assertThat(snapshot.circuitBreaker().bufferedCalls()).isEqualTo(50);
    assertThat(limiter.completed()).isEqualTo(limiter.acquired.get());
    assertThat(limiter.acquired.get() + limiter.rejected.get())
        .isEqualTo(16_000 + (int) snapshot.retries() - (int) snapshot.breakerRejections());
    assertThat(snapshot.timerPending()).isZero();
  }

  @Test
  void asyncCallsUnderContentionAllCompleteAndAreAccountedFor() throws Exception {
    TestLimiter limiter = new TestLimiter(64);
    java.util.concurrent.ScheduledExecutorService completer = java.util.concurrent.Executors.newScheduledThreadPool(2);
    try {
      Guard<Integer> guard =
          Guard.<Integer>builder()
              .fallback(Fallback.<Integer>builder().on(CallTimeoutException.class, e -> -2).build())
              .retry(RetryPolicy.<Integer>builder().maxAttempts(2).backoff(Duration.ZERO, Duration.ofMillis(1)).build())
              .retryBudget(RetryBudget.unlimited())
              .circuitBreaker(CircuitBreaker.builder("async").failureRateThreshold(100).build())
              .loadShedder(limiter, Priority.NORMAL)
              .timeout(TimeoutPolicy.of(Duration.ofMillis(100)))
              .build();
      List<CompletableFuture<Integer>> results = new CopyOnWriteArrayList<>();
      CircuitBreakerTest.runConcurrently(8, 1_000, () -> {
        int kind = ThreadLocalRandom.current().nextInt(100);
        results.add(guard.callAsync(() -> {
          CompletableFuture<Integer> work = new CompletableFuture<>();
          if (kind == 0) {
            return work; // never completes: times out (twice) and falls back
          }
          if (kind < 10) {
            completer.execute(() -> work.completeExceptionally(new IOException("flaky")));
          } else {
            completer.schedule(() -> work.complete(1), kind % 3, TimeUnit.MILLISECONDS);
          }
          return work;
        }));
      });
      int ok = 0;
      int fallback = 0;
      int failed = 0;
      for (CompletableFuture<Integer> result : results) {
        try {
          int value = result.get(30, TimeUnit.SECONDS);
          if (value == 1) {
            ok++;
          } else {
            assertThat(value).isEqualTo(-2);
            fallback++;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOfAny(IOException.class, RejectedException.class);
          failed++;
        }
      }
      GuardSnapshot snapshot = guard.snapshot();
      assertThat(ok + fallback + failed).isEqualTo(8_000);
      assertThat(snapshot.calls()).isEqualTo(8_000);
      assertThat(snapshot.successes()).isEqualTo(ok);
      assertThat(snapshot.fallbacks()).isEqualTo(fallback);
      assertThat(snapshot.failures()).isEqualTo(fallback + failed);
      assertThat(snapshot.timeouts()).isGreaterThanOrEqualTo(2L * fallback);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((limiter.inFlight() != 0 || guard.snapshot().timerPending() != 0) && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(limiter.inFlight()).isZero();
      assertThat(limiter.completed()).isEqualTo(limiter.acquired.get());
      assertThat(guard.snapshot().timerPending()).isZero();
    } finally {
      completer.shutdownNow();
    }
  }

  @Test
  void listenerErrorsAreCountedNotThrown() throws Exception {
    Guard<String> guard =
        Guard.<String>builder()
            .fallback(Fallback.of(e -> "fb"))
            .listener(new GuardListener() {
              @Override
              public void onFallback(Throwable failure) {
                throw new IllegalStateException("listener bug");
              }
            })
            .build();
    assertThat(guard.call(() -> { throw new IOException(); })).isEqualTo("fb");
    assertThat(guard.call(() -> { throw new IOException(); })).isEqualTo("fb");
    assertThat(guard.snapshot().listenerErrors()).isEqualTo(2);
  }

  @Test
  void listenerSeesRetriesTimeoutsAndFallbacks() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Guard<String> guard =
        Guard.<String>builder()
            .fallback(Fallback.of(e -> "fb"))
            .retry(RetryPolicy.<String>builder().maxAttempts(2).backoff(Duration.ZERO, Duration.ZERO).build())
            .retryBudget(RetryBudget.unlimited())
            .timeout(TimeoutPolicy.of(Duration.ofMillis(10)))
            .listener(new GuardListener() {
              @Override
              public void onRetry(int nextAttempt, @Nullable Throwable lastFailure, Duration delay) {
                events.add("retry " + nextAttempt + " " + lastFailure.getClass().getSimpleName());
              }

              @Override
              public void onTimeout(Duration timeout) {
                events.add("timeout " + timeout.toMillis());
              }

              @Override
              public void onFallback(Throwable failure) {
                events.add("fallback " + failure.getClass().getSimpleName());
              }
            })
            .build();
    assertThat(guard.call(() -> {
      Thread.sleep(30_000);
      return "late";
    })).isEqualTo("fb");
    assertThat(events)
        .containsExactly(
            "timeout 10", "retry 2 CallTimeoutException", "timeout 10", "fallback CallTimeoutException");
  }

  @Test
  void builderValidatesAndCopies() {
    assertThatThrownBy(() -> Guard.<String>builder().retryBudget(RetryBudget.unlimited()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("retryBudget: RetryBudget[unlimited] (expected: only with retry or hedge, and neither is set)");
    assertThatThrownBy(() -> Guard.<String>builder().loadShedder(null, Priority.LOW))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limiter");
    assertThatThrownBy(() -> Guard.<String>builder().timeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
    Guard<String> plain = Guard.<String>builder().build();
    assertThatThrownBy(() -> plain.call(null)).isInstanceOf(NullPointerException.class).hasMessage("callable");
    Guard.Builder<String> builder = Guard.<String>builder();
    Guard<String> before = builder.build();
    builder.circuitBreaker(CircuitBreaker.ofDefaults("later"));
    assertThat(before.circuitBreaker()).isNull();
    assertThat(before.retryBudget()).isSameAs(RetryBudget.unlimited());
  }

  @Test
  void aGuardWithRetryGetsItsOwnDefaultBudget() {
    Guard<String> a = Guard.<String>builder().retry(RetryPolicy.<String>builder().build()).build();
    Guard<String> b = Guard.<String>builder().retry(RetryPolicy.<String>builder().build()).build();
    assertThat(a.retryBudget()).isNotSameAs(b.retryBudget());
    assertThat(a.retryBudget().balance()).isEqualTo(100.0); // 10 per second × 10 s
  }

  private static final Integer ANSWER = 42;

  @Test
  void aSyncCallThroughFallbackRetryBreakerAndTimeoutAllocatesNothing() throws Exception {
    Guard<Integer> guard =
        Guard.<Integer>builder()
            .fallback(Fallback.of(e -> -1))
            .retry(RetryPolicy.<Integer>builder().maxAttempts(3).build())
            .circuitBreaker(CircuitBreaker.ofDefaults("alloc"))
            .timeout(TimeoutPolicy.of(Duration.ofSeconds(30)))
            .build();
    java.util.concurrent.Callable<Integer> work = () -> ANSWER;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 200_000; i++) {
      guard.call(work); // warm up: class loading, the thread's slot, JIT
    }
    long before = threads.getThreadAllocatedBytes(id);
    long sum = 0;
    for (int i = 0; i < 100_000; i++) {
      sum += guard.call(work);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(sum).isEqualTo(4_200_000L);
    // Nothing per call: what remains is measurement noise (a few KB at most), not 100,000 × N.
    assertThat(allocated).isLessThan(100_000L);
    assertThat(guard.snapshot().attempts()).isEqualTo(300_000);
  }
}
