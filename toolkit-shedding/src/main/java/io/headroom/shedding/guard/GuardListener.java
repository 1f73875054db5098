package io.headroom.shedding.guard;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Receives a guard's events. Every method has an empty default, so implement only what you
 * need. Methods are called synchronously on the thread where the event happens (a caller, a
 * future's completing thread, or the shared timer thread), so they must be fast and must not
 * block. An exception thrown by a listener is counted ({@link GuardSnapshot#listenerErrors()}),
 * logged once at WARN, and otherwise ignored.
 */
public interface GuardListener {

  /** A listener that ignores everything. */
  GuardListener NONE = new GuardListener() {};

  /** A circuit breaker moved from {@code from} to {@code to}. */
  default void onStateChange(String breakerName, CircuitBreaker.State from, CircuitBreaker.State to) {}

  /**
   * Attempt {@code nextAttempt} (2 for the first retry) starts after {@code delay};
   * {@code lastFailure} is {@code null} when a result was retried.
   */
  default void onRetry(int nextAttempt, @Nullable Throwable lastFailure, Duration delay) {}

  /**
   * The retry budget denied a retry or a hedge; {@code lastFailure} is {@code null} for a hedge
   * or a retried result.
   */
  default void onBudgetExhausted(@Nullable Throwable lastFailure) {}

  /** An attempt timed out. */
  default void onTimeout(Duration timeout) {}

  /** Hedge number {@code hedge} (1 for the first) started. */
  default void onHedge(int hedge) {}

  /** The fallback replaced {@code failure} with a value. */
  default void onFallback(Throwable failure) {}
}
