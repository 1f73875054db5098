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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HedgeTest {
  private final SharedTimer timer = new SharedTimer("hedge-test");
  private final List<CompletableFuture<String>> works = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    timer.shutdown();
  }

  private final List<Integer> hedgeEvents = new CopyOnWriteArrayList<>();

  private Guard<String> guard(HedgePolicy policy, RetryBudget budget) {
    return Guard.<String>builder()
        .hedge(policy)
        .retryBudget(budget)
        .timer(timer)
        .asyncExecutor(Runnable::run)
        .listener(new GuardListener() {
          @Override
          public void onHedge(int hedge) {
            hedgeEvents.add(hedge);
          }
        })
        .build();
  }

  /** Each attempt gets a fresh, incomplete future the test completes by index. */
  private CompletableFuture<String> newWork() {
    CompletableFuture<String> work = new CompletableFuture<>();
    works.add(work);
    return work;
  }

  private void awaitAttempts(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (works.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(works).hasSize(n);
  }

  @Test
  void aSlowFirstAttemptIsHedgedAndTheFirstSuccessWinsAndCancelsTheOther() throws Exception {
    Guard<String> guard = guard(HedgePolicy.fixedDelay(Duration.ofMillis(20)), RetryBudget.unlimited());
    CompletableFuture<String> result = guard.callAsync(this::newWork);
    awaitAttempts(2);
    works.get(1).complete("hedge");
    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("hedge");
    assertThat(works.get(0)).isCancelled();
    GuardSnapshot snapshot = guard.snapshot();
    assertThat(snapshot.hedges()).isEqualTo(1);
    assertThat(snapshot.hedgeWins()).isEqualTo(1);
    assertThat(snapshot.successes()).isEqualTo(1);
    assertThat(timer.pending()).isZero();
  }

  @Test
  void theFirstAttemptCanStillWinAfterAHedgeStarted() throws Exception {
    Guard<String> guard = guard(HedgePolicy.fixedDelay(Duration.ofMillis(20)), RetryBudget.unlimited());
    CompletableFuture<String> result = guard.callAsync(this::newWork);
    awaitAttempts(2);
    works.get(0).complete("primary");
    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("primary");
    assertThat(works.get(1)).isCancelled();
    assertThat(guard.snapshot().hedgeWins()).isZero();
  }

  @Test
  void aFastAnswerSendsNoHedgeAndLeavesNoTimerEntry() throws Exception {
    Guard<String> guard = guard(HedgePolicy.fixedDelay(Duration.ofSeconds(30)), RetryBudget.unlimited());
    CompletableFuture<String> result = guard.callAsync(this::newWork);
    assertThat(timer.pending()).isEqualTo(1);
    works.get(0).complete("fast");
    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("fast");
    assertThat(timer.pending()).isZero();
    assertThat(works).hasSize(1);
    assertThat(guard.snapshot().hedges()).isZero();
  }

  @Test
  void aFailedAttemptWaitsForTheOtherAndOnlyAllFailingFailsTheCall() throws Exception {
    Guard<String> guard = guard(HedgePolicy.fixedDelay(Duration.ofMillis(10), 2), RetryBudget.unlimited());
    CompletableFuture<String> result = guard.callAsync(this::newWork);
    awaitAttempts(3);
    works.get(2).completeExceptionally(new IOException("third"));
    works.get(0).completeExceptionally(new IOException("first"));
    assertThat(result).isNotDone();
    works.get(1).completeExceptionally(new IOException("second"));
    assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessage("second");
    assertThat(guard.snapshot().hedges()).isEqualTo(2);
    assertThat(guard.snapshot().failures()).isEqualTo(1);
    assertThat(hedgeEvents).containsExactly(1, 2);
  }

  @Test
  void hedgesDrawOnTheRetryBudget() throws Exception {
    ManualTicker ticker = new ManualTicker();
    RetryBudget budget = RetryBudget.builder().ratio(0.5).minRetriesPerSecond(0).ticker(ticker).build();
    Guard<String> guard = guard(HedgePolicy.fixedDelay(Duration.ofMillis(5)), budget);
    // Call 1 deposits 0.5: not enough for a hedge.
    CompletableFuture<String> first = guard.callAsync(this::newWork);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (guard.snapshot().retryBudgetDenials() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(guard.snapshot().retryBudgetDenials()).isEqualTo(1);
    assertThat(works).hasSize(1);
    works.get(0).complete("a");
    assertThat(first.join()).isEqualTo("a");
    // Call 2 brings the balance to 1.0: one hedge.
    CompletableFuture<String> second = guard.callAsync(this::newWork);
    awaitAttempts(3);
    works.get(2).complete("b");
    assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(budget.withdrawn()).isEqualTo(1);
    assertThat(guard.snapshot().hedges()).isEqualTo(1);
  }

  @Test
  void percentileDelayFollowsRecentLatencies() {
    HedgePolicy policy = HedgePolicy.percentile(90, Duration.ofMillis(50), Duration.ofMillis(2));
    assertThat(policy.currentDelay()).isEqualTo(Duration.ofMillis(50));
    for (int i = 1; i <= 128; i++) {
      policy.recordLatency(TimeUnit.MILLISECONDS.toNanos(i));
    }
    // The 90th percentile of 1..128 ms: the 116th smallest (ceil(0.9 × 128)).
    assertThat(policy.currentDelay()).isEqualTo(Duration.ofMillis(116));
    for (int i = 0; i < 512; i++) {
      policy.recordLatency(1_000); // 1 µs: below the floor
    }
    assertThat(policy.currentDelay()).isEqualTo(Duration.ofMillis(2));
  }

  @Test
  void cancellingTheCallCancelsEveryAttempt() throws Exception {
    Guard<String> guard = guard(HedgePolicy.fixedDelay(Duration.ofMillis(10)), RetryBudget.unlimited());
    CompletableFuture<String> result = guard.callAsync(this::newWork);
    awaitAttempts(2);
    assertThat(result.cancel(true)).isTrue();
    assertThat(works.get(0)).isCancelled();
    assertThat(works.get(1)).isCancelled();
  }

  @Test
  void syncCallsAreNotHedged() throws Exception {
    Guard<String> guard = guard(HedgePolicy.fixedDelay(Duration.ZERO), RetryBudget.unlimited());
    AtomicInteger calls = new AtomicInteger();
    assertThat(guard.call(() -> "x" + calls.incrementAndGet())).isEqualTo("x1");
    assertThat(guard.snapshot().hedges()).isZero();
  }

  @Test
  void badSettingsFailAtBuild() {
    assertThatThrownBy(() -> HedgePolicy.fixedDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay: PT-0.001S (expected: >= 0)");
    assertThatThrownBy(() -> HedgePolicy.fixedDelay(Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxHedges: 0 (expected: 1..10)");
    assertThatThrownBy(() -> HedgePolicy.percentile(100, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile: 100.0 (expected: > 0 and < 100)");
    assertThatThrownBy(
            () -> Guard.<String>builder()
                .hedge(HedgePolicy.fixedDelay(Duration.ZERO))
                .retry(RetryPolicy.<String>builder().build())
                .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "retry: RetryPolicy[maxAttempts=3, baseDelay=PT0.01S, maxDelay=PT1S], "
                + "hedge: HedgePolicy[delay=PT0S, maxHedges=1] "
                + "(expected: at most one of retry and hedge; they share one slot)");
  }
}
