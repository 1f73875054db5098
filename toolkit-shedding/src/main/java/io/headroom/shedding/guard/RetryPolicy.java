package io.headroom.shedding.guard;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * When and how often to try a call again: up to {@code maxAttempts} attempts in all, after an
 * exponential backoff with full jitter (attempt {@code n+1} waits a uniformly random time in
 * {@code [0, min(maxDelay, baseDelay × 2^(n-1))]}, the AWS "full jitter" scheme), for failures
 * matching {@link Builder#retryOn} and results matching {@link Builder#retryOnResult}.
 *
 * <p>Every retry also needs a token from the guard's {@link RetryBudget}; a denied retry ends the
 * call with {@link RetryBudgetExhaustedException}. Sync retries sleep on the caller's thread
 * (fine on virtual threads; an interrupt during the sleep ends the call with the last failure
 * and keeps the interrupt flag set); async retries wait on the shared timer and never block a
 * thread.
 *
 * <p>By default every exception except {@link CircuitOpenException} and
 * {@link io.headroom.shedding.RejectedException} is retried: retrying into an open breaker or an
 * overloaded shedder only adds load. No result is retried by default. When the last attempt's
 * result still matches {@code retryOnResult}, that result is returned.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the result type
 */
public final class RetryPolicy<T> {
  private final int maxAttempts;
  private final long baseDelayNanos;
  private final long maxDelayNanos;
  private final Predicate<Throwable> retryOn;
  private final Predicate<? super T> retryOnResult;

  private RetryPolicy(Builder<T> builder) {
    this.maxAttempts = builder.maxAttempts;
    this.baseDelayNanos = builder.baseDelay.toNanos();
    this.maxDelayNanos = builder.maxDelay.toNanos();
    this.retryOn = builder.retryOn;
    this.retryOnResult = builder.retryOnResult;
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  boolean retryOn(Throwable failure) {
    return retryOn.test(failure);
  }

  boolean retryOnResult(T result) {
    return retryOnResult.test(result);
  }

  /** The backoff before attempt {@code nextAttempt} (2 for the first retry), with full jitter. */
  long delayNanos(int nextAttempt) {
    if (baseDelayNanos == 0) {
      return 0;
    }
    int shift = Math.min(nextAttempt - 2, 62);
    long ceiling = baseDelayNanos > (maxDelayNanos >> shift) ? maxDelayNanos : baseDelayNanos << shift;
    ceiling = Math.min(ceiling, maxDelayNanos);
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", baseDelay=" + Duration.ofNanos(baseDelayNanos)
        + ", maxDelay=" + Duration.ofNanos(maxDelayNanos) + "]";
  }

  static boolean retryableByDefault(Throwable failure) {
    return !(failure instanceof CircuitOpenException)
        && !(failure instanceof io.headroom.shedding.RejectedException);
  }

  /** Builds a {@link RetryPolicy}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder<T> {
    private int maxAttempts = 3;
    private Duration baseDelay = Duration.ofMillis(10);
    private Duration maxDelay = Duration.ofSeconds(1);
    private Predicate<Throwable> retryOn = RetryPolicy::retryableByDefault;
    private Predicate<? super T> retryOnResult = result -> false;

    private Builder() {}

    /** Attempts in all, first included, in [1, 100]; default 3. */
    public Builder<T> maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The backoff: base delay (≥ 0, default 10 ms) and cap (≥ base, default 1 s). A zero base
     * retries at once.
     */
    public Builder<T> backoff(Duration baseDelay, Duration maxDelay) {
      this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
      this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    /** Which failures to retry; replaces the default. */
    public Builder<T> retryOn(Predicate<Throwable> retryOn) {
      this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
      return this;
    }

    /** Which results to retry (e.g. a "busy" reply); default none. */
    public Builder<T> retryOnResult(Predicate<? super T> retryOnResult) {
      this.retryOnResult = Objects.requireNonNull(retryOnResult, "retryOnResult");
      return this;
    }

    /**
     * Validates the settings and builds.
     *
     * @throws IllegalArgumentException if a setting is out of range, naming it and its value
     */
    public RetryPolicy<T> build() {
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1..100)");
      }
      if (baseDelay.isNegative()) {
        throw new IllegalArgumentException("baseDelay: " + baseDelay + " (expected: >= 0)");
      }
      if (maxDelay.compareTo(baseDelay) < 0 || maxDelay.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "maxDelay: " + maxDelay + " (expected: >= baseDelay " + baseDelay + " and <= 1 day)");
      }
      return new RetryPolicy<>(this);
    }
  }
}
