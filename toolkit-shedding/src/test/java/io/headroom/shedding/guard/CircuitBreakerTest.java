package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.shedding.guard.CircuitBreaker.State;
import io.headroom.shedding.guard.CircuitBreaker.WindowType;
import io.headroom.shedding.guard.internal.OutcomeWindow;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CircuitBreakerTest {
  private final ManualTicker ticker = new ManualTicker();
  private final List<String> transitions = new CopyOnWriteArrayList<>();
  private final GuardListener listener =
      new GuardListener() {
        @Override
        public void onStateChange(String name, State from, State to) {
          transitions.add(from + "->" + to);
        }
      };

  private CircuitBreaker.Builder breaker() {
    return CircuitBreaker.builder("dep")
        .slidingWindow(WindowType.COUNT_BASED, 10)
        .minimumCalls(10)
        .failureRateThreshold(50)
        .waitInOpen(Duration.ofSeconds(30))
        .permittedCallsInHalfOpen(2)
        .maxWaitInHalfOpen(Duration.ofSeconds(20))
        .ticker(ticker)
        .listener(listener);
  }

  private Guard<String> guard(CircuitBreaker breaker) {
    return Guard.<String>builder().circuitBreaker(breaker).ticker(ticker).build();
  }

  private static void succeed(Guard<String> guard) throws Exception {
    assertThat(guard.call(() -> "ok")).isEqualTo("ok");
  }

  private static void fail(Guard<String> guard) {
    assertThatThrownBy(() -> guard.call(() -> { throw new IOException("down"); }))
        .isInstanceOf(IOException.class);
  }

  private static void refused(Guard<String> guard) {
    assertThatThrownBy(() -> guard.call(() -> "never")).isInstanceOf(CircuitOpenException.class);
  }

  @Test
  void closedOpensExactlyWhenTheFailureRateReachesTheThreshold() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    for (int i = 0; i < 5; i++) {
      succeed(guard);
    }
    for (int i = 0; i < 4; i++) {
      fail(guard);
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED); // 9 calls: below the minimum
    fail(guard); // 10 calls, 50% failed
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).containsExactly("CLOSED->OPEN");
    refused(guard);
    assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(1);
    assertThat(guard.snapshot().breakerRejections()).isEqualTo(1);
  }

  @Test
  void staysClosedBelowTheThreshold() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 6; i++) {
        succeed(guard);
      }
      for (int i = 0; i < 4; i++) {
        fail(guard);
      }
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    CircuitBreaker.Snapshot snapshot = breaker.snapshot();
    assertThat(snapshot.bufferedCalls()).isEqualTo(10);
    assertThat(snapshot.failureRatePercent()).isEqualTo(40.0);
  }

  @Test
  void slowCallsOpenTheBreaker() throws Exception {
    CircuitBreaker breaker =
        breaker().slowCallDuration(Duration.ofMillis(100)).slowCallRateThreshold(30).build();
    Guard<String> guard = guard(breaker);
    for (int i = 0; i < 7; i++) {
      succeed(guard);
    }
    for (int i = 0; i < 3; i++) {
      guard.call(() -> {
        ticker.advance(Duration.ofMillis(150));
        return "slow";
      });
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).containsExactly("CLOSED->OPEN");
  }

  @Test
  void openMovesToHalfOpenAfterTheWaitAndClosesWhenTrialsSucceed() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(29));
    refused(guard);
    ticker.advance(Duration.ofSeconds(1));
    succeed(guard);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    succeed(guard);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    assertThat(breaker.snapshot().bufferedCalls()).isZero(); // a fresh window
  }

  @Test
  void halfOpenReopensWhenTrialsFail() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(30));
    succeed(guard);
    fail(guard);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    refused(guard);
  }

  private void slow(Guard<String> guard, Duration took) throws Exception {
    assertThat(guard.call(() -> {
      ticker.advance(took);
      return "slow";
    })).isEqualTo("slow");
  }

  @Test
  void halfOpenReopensWhenTrialCallsAreSlow() throws Exception {
    CircuitBreaker breaker =
        breaker().slowCallDuration(Duration.ofMillis(100)).slowCallRateThreshold(50).build();
    Guard<String> guard = guard(breaker);
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(30));
    succeed(guard);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    slow(guard, Duration.ofMillis(100)); // exactly slowCallDuration counts as slow: 1 of 2 = 50%
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    assertThat(guard.snapshot().failures()).isZero(); // slow successes alone reopened it
    refused(guard); // a fresh wait in open state
  }

  @Test
  void halfOpenClosesWhenSlowTrialsStayBelowTheSlowCallThreshold() throws Exception {
    CircuitBreaker breaker =
        breaker().slowCallDuration(Duration.ofMillis(100)).slowCallRateThreshold(60).build();
    Guard<String> guard = guard(breaker);
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(30));
    slow(guard, Duration.ofMillis(150));
    succeed(guard); // 1 of 2 slow = 50% < 60%
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void resetFromOpenClosesWithACleanWindowAndNotifiesTheListener() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    for (int i = 0; i < 10; i++) {
      fail(guard);
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    refused(guard);
    breaker.reset(); // no wait in open state, no half-open
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
    CircuitBreaker.Snapshot snapshot = breaker.snapshot();
    assertThat(snapshot.bufferedCalls()).isZero();
    assertThat(snapshot.failureRatePercent()).isZero();
    assertThat(snapshot.transitions()).isEqualTo(2);
    assertThat(snapshot.notPermittedCalls()).isEqualTo(1); // the refusal count is not a window
    // The ten failures before the reset are gone: nine more stay below minimumCalls.
    for (int i = 0; i < 9; i++) {
      fail(guard);
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(9);
    fail(guard);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->CLOSED", "CLOSED->OPEN");
  }

  @Test
  void resetFromForcedOpenClosesWithACleanWindowAndNotifiesTheListener() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    succeed(guard);
    for (int i = 0; i < 4; i++) {
      fail(guard);
    }
    assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(5);
    breaker.forceOpen();
    refused(guard);
    breaker.reset();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(transitions).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED");
    assertThat(breaker.snapshot().bufferedCalls()).isZero();
    assertThat(breaker.snapshot().failureRatePercent()).isZero();
    // Had the five earlier calls (four failed) survived, these nine failures would open it.
    for (int i = 0; i < 9; i++) {
      fail(guard);
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(9);
    assertThat(transitions).hasSize(2);
  }

  @Test
  void halfOpenAdmitsOnlyThePermittedTrials() {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(30));
    CompletableFuture<String> first = guard.callAsync(CompletableFuture::new);
    CompletableFuture<String> second = guard.callAsync(CompletableFuture::new);
    CompletableFuture<String> third = guard.callAsync(CompletableFuture::new);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(third).isCompletedExceptionally();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    // Cancelling a trial gives its slot back.
    first.cancel(true);
    CompletableFuture<String> fourth = guard.callAsync(CompletableFuture::new);
    assertThat(fourth).isNotDone();
  }

  /** Regression for breakers stuck half-open (resilience4j#903). */
  @Test
  void trialCallsThatNeverCompleteTimeOutOfHalfOpen() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(30));
    CompletableFuture<String> hung1 = new CompletableFuture<>();
    CompletableFuture<String> hung2 = new CompletableFuture<>();
    CompletableFuture<String> trial1 = guard.callAsync(() -> hung1);
    CompletableFuture<String> trial2 = guard.callAsync(() -> hung2);
    refused(guard);
    ticker.advance(Duration.ofSeconds(19));
    refused(guard);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    ticker.advance(Duration.ofSeconds(1));
    refused(guard); // this attempt finds half-open expired and opens it
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    // The stuck trials completing late change nothing.
    hung1.complete("late");
    hung2.complete("late");
    assertThat(trial1.join()).isEqualTo("late");
    assertThat(trial2.join()).isEqualTo("late");
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    // And the breaker recovers through a fresh half-open.
    ticker.advance(Duration.ofSeconds(30));
    succeed(guard);
    succeed(guard);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(transitions)
        .containsExactly(
            "CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void resultsOfCallsAdmittedBeforeATransitionAreIgnored() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    CompletableFuture<String> slowWork = new CompletableFuture<>();
    CompletableFuture<String> call = guard.callAsync(() -> slowWork);
    breaker.transitionToOpen();
    breaker.reset();
    slowWork.completeExceptionally(new IOException("late failure"));
    assertThat(call).isCompletedExceptionally();
    assertThat(breaker.snapshot().bufferedCalls()).isZero();
  }

  @Test
  void forcedStatesHoldUntilReset() throws Exception {
    CircuitBreaker breaker = breaker().build();
    Guard<String> guard = guard(breaker);
    breaker.forceOpen();
    ticker.advance(Duration.ofDays(1));
    refused(guard);
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
    breaker.disable();
    for (int i = 0; i < 50; i++) {
      fail(guard);
    }
    assertThat(breaker.state()).isEqualTo(State.DISABLED);
    breaker.reset();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    succeed(guard);
    assertThat(transitions).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->DISABLED", "DISABLED->CLOSED");
  }

  @Test
  void exceptionsOutsideRecordFailureCountAsSuccesses() throws Exception {
    CircuitBreaker breaker = breaker().recordFailure(e -> e instanceof IOException).build();
    Guard<String> guard = guard(breaker);
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> guard.call(() -> { throw new IllegalArgumentException(); }))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.snapshot().failureRatePercent()).isZero();
  }

  @Test
  void timeBasedWindowForgetsOutcomesOlderThanTheWindow() throws Exception {
    CircuitBreaker breaker =
        breaker().slidingWindow(WindowType.TIME_BASED, 10).minimumCalls(10).build();
    Guard<String> guard = guard(breaker);
    for (int i = 0; i < 9; i++) {
      fail(guard);
    }
    assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(9);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.snapshot().bufferedCalls()).isZero();
    for (int i = 0; i < 9; i++) {
      succeed(guard);
    }
    fail(guard);
    assertThat(breaker.state()).isEqualTo(State.CLOSED); // 10% of the calls in the window
    for (int i = 0; i < 7; i++) {
      fail(guard);
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED); // 8 of 17
    fail(guard);
    assertThat(breaker.state()).isEqualTo(State.OPEN); // 9 of 18
  }

  @Test
  void timeBasedWindowOpensOnSlowCalls() throws Exception {
    CircuitBreaker breaker =
        breaker()
            .slidingWindow(WindowType.TIME_BASED, 10)
            .minimumCalls(10)
            .slowCallDuration(Duration.ofMillis(100))
            .slowCallRateThreshold(50)
            .build();
    Guard<String> guard = guard(breaker);
    for (int i = 0; i < 9; i++) {
      slow(guard, Duration.ofMillis(150));
    }
    assertThat(breaker.snapshot().slowCallRatePercent()).isEqualTo(100.0);
    assertThat(breaker.state()).isEqualTo(State.CLOSED); // 9 calls: below the minimum
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.snapshot().bufferedCalls()).isZero(); // the slow calls left the window
    for (int i = 0; i < 5; i++) {
      succeed(guard);
    }
    for (int i = 0; i < 4; i++) {
      slow(guard, Duration.ofMillis(150));
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED); // 9 calls in the window
    slow(guard, Duration.ofMillis(150));
    assertThat(breaker.state()).isEqualTo(State.OPEN); // 5 slow of 10
    assertThat(transitions).containsExactly("CLOSED->OPEN");
    assertThat(guard.snapshot().failures()).isZero();
  }

  @Test
  void countWindowTotalsStayExactUnderContention() throws Exception {
    OutcomeWindow window = OutcomeWindow.countBased(1_000);
    runConcurrently(8, 20_000, () -> window.record(OutcomeWindow.FAILURE | OutcomeWindow.SLOW, 0));
    long totals = window.totals(0);
    assertThat(OutcomeWindow.calls(totals)).isEqualTo(1_000);
    assertThat(OutcomeWindow.failureBasisPoints(totals)).isEqualTo(10_000);
    assertThat(OutcomeWindow.slowBasisPoints(totals)).isEqualTo(10_000);
    runConcurrently(8, 20_000, () -> window.record(0, 0));
    totals = window.totals(0);
    assertThat(OutcomeWindow.calls(totals)).isEqualTo(1_000);
    assertThat(OutcomeWindow.failureBasisPoints(totals)).isZero();
    assertThat(OutcomeWindow.slowBasisPoints(totals)).isZero();
  }

  @Test
  void timeWindowCountsEveryOutcomeUnderContention() throws Exception {
    OutcomeWindow window = OutcomeWindow.timeBased(10);
    long now = 5_000_000_000L;
    window.record(0, now); // claim the bucket first so no recording races its reset
    runConcurrently(8, 20_000, () -> window.record(OutcomeWindow.FAILURE, now));
    long totals = window.totals(now);
    assertThat(OutcomeWindow.calls(totals)).isEqualTo(160_001);
    assertThat(OutcomeWindow.failureBasisPoints(totals)).isEqualTo(9_999); // 160000 / 160001
  }

  @Test
  void concurrentCallsThroughTheBreakerAreAllAccountedFor() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.builder("busy").slidingWindow(WindowType.COUNT_BASED, 100).failureRateThreshold(100).build();
    Guard<String> guard = Guard.<String>builder().circuitBreaker(breaker).build();
    runConcurrently(8, 5_000, () -> {
      try {
        guard.call(() -> "ok");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(guard.snapshot().successes()).isEqualTo(40_000);
    assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(100);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void withoutSlowCallDetectionTheSuccessPathReadsNoClock() throws Exception {
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    io.headroom.shedding.Ticker counting = () -> {
      reads.incrementAndGet();
      return ticker.read();
    };
    CircuitBreaker plain = CircuitBreaker.builder("plain").ticker(counting).build();
    Guard<String> guard = Guard.<String>builder().circuitBreaker(plain).ticker(counting).build();
    long before = reads.get();
    for (int i = 0; i < 1_000; i++) {
      succeed(guard);
    }
    assertThat(reads.get() - before).isZero();
    CircuitBreaker timed =
        CircuitBreaker.builder("timed").slowCallDuration(Duration.ofSeconds(1)).ticker(counting).build();
    Guard<String> timing = Guard.<String>builder().circuitBreaker(timed).ticker(counting).build();
    before = reads.get();
    for (int i = 0; i < 1_000; i++) {
      succeed(timing);
    }
    assertThat(reads.get() - before).isEqualTo(2_000); // start and end of every call
  }

  @Test
  void concurrentFailuresOpenTheBreakerExactlyOnce() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.builder("storm")
            .slidingWindow(WindowType.COUNT_BASED, 100)
            .waitInOpen(Duration.ofHours(1))
            .listener(listener)
            .build();
    Guard<String> guard = Guard.<String>builder().circuitBreaker(breaker).build();
    java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    runConcurrently(8, 1_000, () -> {
      try {
        guard.call(() -> { throw new IOException(); });
      } catch (CircuitOpenException e) {
        refusals.incrementAndGet();
      } catch (Exception e) {
        failures.incrementAndGet();
      }
    });
    assertThat(transitions).containsExactly("CLOSED->OPEN");
    assertThat(failures.get() + refusals.get()).isEqualTo(8_000);
    assertThat(failures.get()).isBetween(100, 100 + 8 * 2); // the window, plus calls in flight at the transition
    assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(refusals.get());
  }

  @Test
  void halfOpenAdmitsExactlyThePermittedTrialsUnderContention() throws Exception {
    CircuitBreaker breaker = breaker().permittedCallsInHalfOpen(5).build();
    Guard<String> guard = guard(breaker);
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(30));
    List<CompletableFuture<String>> admitted = new CopyOnWriteArrayList<>();
    runConcurrently(8, 500, () -> {
      CompletableFuture<String> work = new CompletableFuture<>();
      CompletableFuture<String> call = guard.callAsync(() -> work);
      if (!call.isDone()) {
        admitted.add(work);
      }
    });
    assertThat(admitted).hasSize(5);
    assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(8 * 500 - 5);
    admitted.forEach(work -> work.complete("ok"));
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void badSettingsFailAtBuild() {
    assertThatThrownBy(() -> CircuitBreaker.builder("x").failureRateThreshold(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureRateThreshold: 0.0 (expected: > 0 and <= 100)");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").slowCallRateThreshold(101).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowCallRateThreshold: 101.0 (expected: > 0 and <= 100)");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").slidingWindow(WindowType.COUNT_BASED, 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slidingWindow size: 0 (expected: 1..1048575 for COUNT_BASED)");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").slidingWindow(WindowType.TIME_BASED, 3601).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slidingWindow size: 3601 (expected: 1..3600 for TIME_BASED)");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").permittedCallsInHalfOpen(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permittedCallsInHalfOpen: 0 (expected: 1..10000)");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").maxWaitInHalfOpen(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWaitInHalfOpen: PT0S (expected: > 0 and <= 1 day)");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").waitInOpen(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("waitInOpen: PT-1S (expected: 0..1 day)");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").slowCallDuration(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowCallDuration: PT0S (expected: > 0)");
    CircuitBreaker.Builder zeroMinimum = CircuitBreaker.builder("x").minimumCalls(0); // the setter accepts it
    assertThatThrownBy(zeroMinimum::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minimumCalls: 0 (expected: >= 1)");
    assertThatThrownBy(
            () -> CircuitBreaker.builder("x").slidingWindow(WindowType.COUNT_BASED, 10).minimumCalls(11).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("minimumCalls: 11 (expected: <= slidingWindow size 10 for COUNT_BASED)");
    // the check is made at build(), so the order of the settings does not matter
    assertThatThrownBy(
            () -> CircuitBreaker.builder("x").minimumCalls(11).slidingWindow(WindowType.COUNT_BASED, 10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("minimumCalls: 11 (expected: <= slidingWindow size 10 for COUNT_BASED)");
    assertThat(
            CircuitBreaker.builder("x").minimumCalls(500).slidingWindow(WindowType.TIME_BASED, 10).build().state())
        .isEqualTo(State.CLOSED); // a time-based window has no call count to exceed
    assertThatThrownBy(() -> CircuitBreaker.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
  }

  @Test
  void buildCopiesTheSettings() throws Exception {
    CircuitBreaker.Builder builder = breaker();
    CircuitBreaker breaker = builder.build();
    builder.failureRateThreshold(100).slidingWindow(WindowType.COUNT_BASED, 1000);
    Guard<String> guard = guard(breaker);
    for (int i = 0; i < 10; i++) {
      fail(guard);
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  static void runConcurrently(int threads, int iterations, Runnable action) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < iterations; i++) {
                    action.run();
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(errors).isEmpty();
  }
}
