package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.shedding.guard.internal.SharedTimer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class RetryTest {
  private final SharedTimer timer = new SharedTimer("retry-test");

  @AfterEach
  void tearDown() {
    timer.shutdown();
  }

  /** Each behaviour runs through the sync and the async form. */
  enum Form {
    SYNC,
    ASYNC;

    <T> T call(Guard<T> guard, java.util.concurrent.Callable<T> work) throws Exception {
      if (this == SYNC) {
        return guard.call(work);
      }
      CompletableFuture<T> result =
          guard.callAsync(
              () -> {
                try {
                  return CompletableFuture.completedFuture(work.call());
                } catch (Exception e) {
                  return CompletableFuture.failedFuture(e);
                }
              });
      try {
        return result.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw (Exception) e.getCause();
      }
    }
  }

  private static RetryPolicy.Builder<String> noDelay() {
    return RetryPolicy.<String>builder().backoff(Duration.ZERO, Duration.ZERO);
  }

  private Guard.Builder<String> guard(RetryPolicy<String> policy) {
    return Guard.<String>builder().retry(policy).retryBudget(RetryBudget.unlimited()).timer(timer);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void retriesUpToMaxAttemptsThenThrowsTheLastFailure(Form form) {
    Guard<String> guard = guard(noDelay().maxAttempts(4).build()).build();
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () -> form.call(guard, () -> { throw new IOException("attempt " + attempts.incrementAndGet()); }))
        .isInstanceOf(IOException.class)
        .hasMessage("attempt 4");
    assertThat(attempts).hasValue(4);
    assertThat(guard.snapshot().retries()).isEqualTo(3);
    assertThat(guard.snapshot().failures()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void stopsRetryingAtTheFirstSuccess(Form form) throws Exception {
    Guard<String> guard = guard(noDelay().maxAttempts(5).build()).build();
    AtomicInteger attempts = new AtomicInteger();
    String result =
        form.call(
            guard,
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IOException("no");
              }
              return "ok";
            });
    assertThat(result).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
    assertThat(guard.snapshot().successes()).isEqualTo(1);
    assertThat(guard.snapshot().retries()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void onlyRetriesFailuresThePredicateAccepts(Form form) {
    Guard<String> guard =
        guard(noDelay().maxAttempts(5).retryOn(e -> e instanceof IOException).build()).build();
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () -> form.call(guard, () -> {
              attempts.incrementAndGet();
              throw new IllegalArgumentException("not retryable");
            }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(attempts).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void retriesResultsThePredicateAcceptsAndReturnsTheLastOne(Form form) throws Exception {
    Guard<String> guard =
        guard(noDelay().maxAttempts(3).retryOnResult("busy"::equals).build()).build();
    AtomicInteger attempts = new AtomicInteger();
    assertThat(form.call(guard, () -> attempts.incrementAndGet() == 2 ? "done" : "busy")).isEqualTo("done");
    assertThat(attempts).hasValue(2);
    attempts.set(0);
    assertThat(form.call(guard, () -> { attempts.incrementAndGet(); return "busy"; })).isEqualTo("busy");
    assertThat(attempts).hasValue(3);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void anOpenBreakerIsNotRetriedByDefault(Form form) {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("b");
    breaker.forceOpen();
    Guard<String> guard = guard(noDelay().maxAttempts(5).build()).circuitBreaker(breaker).build();
    assertThatThrownBy(() -> form.call(guard, () -> "x")).isInstanceOf(CircuitOpenException.class);
    assertThat(guard.snapshot().breakerRejections()).isEqualTo(1);
    assertThat(guard.snapshot().retries()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aDeniedRetryEndsTheCallWithBudgetExhaustedAndIsCounted(Form form) {
    ManualTicker ticker = new ManualTicker();
    RetryBudget budget =
        RetryBudget.builder().ratio(0.5).minRetriesPerSecond(0).ticker(ticker).build();
    List<String> events = new CopyOnWriteArrayList<>();
    Guard<String> guard =
        Guard.<String>builder()
            .retry(noDelay().maxAttempts(3).build())
            .retryBudget(budget)
            .timer(timer)
            .listener(
                new GuardListener() {
                  @Override
                  public void onRetry(int nextAttempt, @Nullable Throwable lastFailure, Duration delay) {
                    events.add("retry " + nextAttempt);
                  }

                  @Override
                  public void onBudgetExhausted(@Nullable Throwable lastFailure) {
                    events.add("exhausted " + (lastFailure == null ? null : lastFailure.getMessage()));
                  }
                })
            .build();
    AtomicInteger attempts = new AtomicInteger();
    // Two calls deposit 2 × 0.5 = 1 retry: the second call gets one retry, then is denied.
    try {
      assertThat(form.call(guard, () -> "fine")).isEqualTo("fine");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> form.call(guard, () -> { throw new IOException("fail " + attempts.incrementAndGet()); }))
        .isInstanceOf(RetryBudgetExhaustedException.class)
        .hasCauseInstanceOf(IOException.class)
        .cause().hasMessage("fail 2");
    assertThat(attempts).hasValue(2);
    assertThat(events).containsExactly("retry 2", "exhausted fail 2");
    assertThat(guard.snapshot().retryBudgetDenials()).isEqualTo(1);
    assertThat(guard.snapshot().retries()).isEqualTo(1);
  }

  @Test
  void budgetCapsAmplificationUnderAFullyFailingDependency() {
    ManualTicker ticker = new ManualTicker();
    RetryBudget budget = RetryBudget.builder().ratio(0.1).minRetriesPerSecond(0).ticker(ticker).build();
    Guard<String> guard =
        Guard.<String>builder().retry(noDelay().maxAttempts(3).build()).retryBudget(budget).timer(timer).build();
    AtomicInteger attempts = new AtomicInteger();
    for (int i = 0; i < 1_000; i++) {
      try {
        guard.call(() -> { attempts.incrementAndGet(); throw new IOException(); });
      } catch (Exception expected) {
        // every call fails
      }
    }
    // Exactly 10% extra: 1000 first attempts earn 100 retries.
    assertThat(attempts.get()).isEqualTo(1_100);
  }

  @Test
  void asyncRetriesWaitOnTheTimerWithoutBlockingTheCaller() throws Exception {
    Guard<String> guard =
        guard(RetryPolicy.<String>builder().maxAttempts(3).backoff(Duration.ofMillis(200), Duration.ofMillis(200)).build())
            .build();
    AtomicInteger attempts = new AtomicInteger();
    long start = System.nanoTime();
    CompletableFuture<String> result =
        guard.callAsync(
            () -> attempts.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IOException("no"))
                : CompletableFuture.completedFuture("yes"));
    long returnedAfter = System.nanoTime() - start;
    assertThat(attempts).hasValue(1); // the first attempt failed; the retry is on the timer
    assertThat(result).isNotDone();
    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("yes");
    assertThat(attempts).hasValue(3);
    assertThat(TimeUnit.NANOSECONDS.toMillis(returnedAfter)).isLessThan(10_000);
  }

  @Test
  void cancellingAnAsyncCallStopsItsRetries() throws Exception {
    Guard<String> guard =
        guard(RetryPolicy.<String>builder().maxAttempts(5).backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)).build())
            .build();
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result =
        guard.callAsync(() -> {
          attempts.incrementAndGet();
          return CompletableFuture.failedFuture(new IOException());
        });
    assertThat(timer.pending()).isEqualTo(1);
    assertThat(result.cancel(true)).isTrue();
    assertThat(timer.pending()).isZero();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void backoffIsExponentialWithFullJitter() {
    RetryPolicy<String> policy =
        RetryPolicy.<String>builder().maxAttempts(10).backoff(Duration.ofMillis(10), Duration.ofMillis(100)).build();
    long[] ceilings = {10, 20, 40, 80, 100, 100};
    for (int i = 0; i < ceilings.length; i++) {
      long ceiling = TimeUnit.MILLISECONDS.toNanos(ceilings[i]);
      long max = 0;
      long min = Long.MAX_VALUE;
      for (int n = 0; n < 5_000; n++) {
        long delay = policy.delayNanos(i + 2);
        assertThat(delay).isBetween(0L, ceiling);
        max = Math.max(max, delay);
        min = Math.min(min, delay);
      }
      // Full jitter spreads over the whole range.
      assertThat(max).isGreaterThan(ceiling * 9 / 10);
      assertThat(min).isLessThan(ceiling / 10);
    }
  }

  @Test
  void badSettingsFailAtBuild() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts: 0 (expected: 1..100)");
    assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofMillis(-1), Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseDelay: PT-0.001S (expected: >= 0)");
    assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxDelay: PT1S");
    assertThatThrownBy(() -> RetryPolicy.builder().retryOn(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("retryOn");
  }

  @Test
  void buildCopiesTheSettings() {
    RetryPolicy.Builder<String> builder = noDelay().maxAttempts(2);
    RetryPolicy<String> policy = builder.build();
    builder.maxAttempts(9);
    assertThat(policy.maxAttempts()).isEqualTo(2);
  }
}
