package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.shedding.Priority;
import io.headroom.shedding.RejectedException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class FallbackTest {
  private static final Fallback<String> BY_TYPE =
      Fallback.<String>builder()
          .on(FileNotFoundException.class, e -> "missing")
          .on(IOException.class, e -> "io:" + e.getMessage())
          .on(CircuitOpenException.class, e -> "open")
          .on(RejectedException.class, e -> "shed:" + e.priority())
          .on(CallTimeoutException.class, e -> "timeout")
          .build();

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void theFirstMatchingHandlerInRegistrationOrderWins(RetryTest.Form form) throws Exception {
    Guard<String> guard = Guard.<String>builder().fallback(BY_TYPE).build();
    assertThat(form.call(guard, () -> { throw new FileNotFoundException("f"); })).isEqualTo("missing");
    assertThat(form.call(guard, () -> { throw new IOException("x"); })).isEqualTo("io:x");
    assertThat(guard.snapshot().fallbacks()).isEqualTo(2);
    assertThat(guard.snapshot().failures()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void causesAreMatchedWhenTheFailureItselfIsNot(RetryTest.Form form) throws Exception {
    Guard<String> guard = Guard.<String>builder().fallback(BY_TYPE).build();
    assertThat(form.call(guard, () -> { throw new UncheckedIOException(new IOException("wrapped")); }))
        .isEqualTo("io:wrapped");
  }

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void unmatchedFailuresPropagate(RetryTest.Form form) {
    Guard<String> guard = Guard.<String>builder().fallback(BY_TYPE).build();
    assertThatThrownBy(() -> form.call(guard, () -> { throw new IllegalStateException("nope"); }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("nope");
    assertThat(guard.snapshot().fallbacks()).isZero();
  }

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void handlesTheBreakersRefusal(RetryTest.Form form) throws Exception {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("b");
    breaker.forceOpen();
    Guard<String> guard = Guard.<String>builder().fallback(BY_TYPE).circuitBreaker(breaker).build();
    assertThat(form.call(guard, () -> "never")).isEqualTo("open");
  }

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void handlesTheLoadSheddersRejection(RetryTest.Form form) throws Exception {
    Guard<String> guard =
        Guard.<String>builder().fallback(BY_TYPE).loadShedder(new TestLimiter(0), Priority.LOW).build();
    assertThat(form.call(guard, () -> "never")).isEqualTo("shed:LOW");
  }

  @ParameterizedTest
  @EnumSource(RetryTest.Form.class)
  void handlesTheBudgetsDenialThroughItsCause(RetryTest.Form form) throws Exception {
    RetryBudget empty = RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build();
    Guard<String> guard =
        Guard.<String>builder()
            .fallback(Fallback.<String>builder()
                .on(RetryBudgetExhaustedException.class, e -> "budget:" + e.getCause().getMessage())
                .build())
            .retry(RetryPolicy.<String>builder().backoff(Duration.ZERO, Duration.ZERO).build())
            .retryBudget(empty)
            .build();
    assertThat(form.call(guard, () -> { throw new IOException("down"); })).isEqualTo("budget:down");
    Guard<String> byCause =
        Guard.<String>builder()
            .fallback(BY_TYPE)
            .retry(RetryPolicy.<String>builder().backoff(Duration.ZERO, Duration.ZERO).build())
            .retryBudget(empty)
            .build();
    assertThat(form.call(byCause, () -> { throw new IOException("down"); })).isEqualTo("io:down");
  }

  @Test
  void handlesTimeoutsSyncAndAsync() throws Exception {
    Guard<String> guard =
        Guard.<String>builder().fallback(BY_TYPE).timeout(TimeoutPolicy.of(Duration.ofMillis(20))).build();
    assertThat(guard.call(() -> {
      Thread.sleep(30_000);
      return "late";
    })).isEqualTo("timeout");
    CompletableFuture<String> async = guard.callAsync(CompletableFuture::new);
    assertThat(async.get(30, TimeUnit.SECONDS)).isEqualTo("timeout");
  }

  @Test
  void errorsAreNeverHandled() {
    Guard<String> guard = Guard.<String>builder().fallback(Fallback.of(e -> "handled")).build();
    assertThatThrownBy(() -> guard.call(() -> { throw new AssertionError("bug"); }))
        .isInstanceOf(AssertionError.class);
    Fallback.Builder<String> onError = Fallback.<String>builder().on(Error.class, e -> "x");
    assertThatThrownBy(onError::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type: java.lang.Error (expected: not an Error)");
  }

  @Test
  void aThrowingHandlerReplacesTheFailure() {
    Guard<String> guard =
        Guard.<String>builder()
            .fallback(Fallback.of(e -> { throw new IllegalStateException("fallback failed"); }))
            .build();
    assertThatThrownBy(() -> guard.call(() -> { throw new IOException(); }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("fallback failed");
    assertThatThrownBy(() -> guard.callAsync(() -> CompletableFuture.failedFuture(new IOException())).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void runDiscardsTheFallbackValueButStillHandles() {
    Guard<String> guard = Guard.<String>builder().fallback(Fallback.of(e -> "ignored")).build();
    guard.run(() -> { throw new IllegalStateException(); });
    assertThat(guard.snapshot().fallbacks()).isEqualTo(1);
  }

  @Test
  void aFallbackNeedsAHandler() {
    assertThatThrownBy(() -> Fallback.<String>builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("handlers: 0 (expected: >= 1, registered with on(type, handler))");
  }
}
