package io.headroom.shedding.guard;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * How long one attempt may take, and what happens at the deadline.
 *
 * <p><b>Async</b> ({@link Guard#callAsync}): at the deadline the returned future completes
 * exceptionally with {@link CallTimeoutException} and the work's future is cancelled with
 * {@code cancel(true)}; work that watches its future (or is a {@code FutureTask}) stops. As with
 * {@code CompletableFuture.orTimeout}, non-async dependents of a timed-out future run on the
 * shared timer thread: keep them short or use the {@code *Async} stages.
 *
 * <p><b>Sync</b> ({@link Guard#call}, {@link Guard#run}): the work runs on the caller's thread.
 * At the deadline the caller's thread is interrupted (unless {@link Builder#interrupt(boolean)
 * interrupt(false)}), and when the work returns, by value or by exception, the caller gets
 * {@link CallTimeoutException} (its cause is what the work threw, if anything). Whoever comes
 * first between the work returning and the deadline decides the outcome, atomically. The
 * interrupt never leaks out of the guard: if it was delivered, it is cleared before the call
 * returns (an interrupt the caller had before the call is restored). If the caller needs an
 * answer at the deadline whatever the work does, {@link Builder#executor(Executor)} runs the work
 * on that executor and the caller waits for it until the deadline, then cancels it.
 *
 * <p>Cost: one task on the shared timer per attempt, removed from the timer's queue as soon as
 * the attempt finishes. Immutable and thread-safe.
 */
public final class TimeoutPolicy {
  private final Duration timeout;
  private final long timeoutNanos;
  private final boolean interrupt;
  private final @Nullable Executor executor;

  private TimeoutPolicy(Builder builder) {
    this.timeout = builder.timeout;
    this.timeoutNanos = builder.timeout.toNanos();
    this.interrupt = builder.interrupt;
    this.executor = builder.executor;
  }

  /** A timeout of {@code timeout} with the defaults (interrupt, run on the caller's thread). */
  public static TimeoutPolicy of(Duration timeout) {
    return builder(timeout).build();
  }

  public static Builder builder(Duration timeout) {
    return new Builder(timeout);
  }

  public Duration timeout() {
    return timeout;
  }

  long timeoutNanos() {
    return timeoutNanos;
  }

  public boolean interrupt() {
    return interrupt;
  }

  @Nullable Executor executor() {
    return executor;
  }

  /** Builds a {@link TimeoutPolicy}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private Duration timeout;
    private boolean interrupt = true;
    private @Nullable Executor executor;

    private Builder(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Interrupt the thread running the work at the deadline; default {@code true}. */
    public Builder interrupt(boolean interrupt) {
      this.interrupt = interrupt;
      return this;
    }

    /**
     * Run sync work on {@code executor} so the caller returns at the deadline even if the work
     * ignores interrupts. Default: none, the work runs on the caller's thread.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Validates the settings and builds.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public TimeoutPolicy build() {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
      }
      if (timeout.compareTo(Duration.ofDays(365)) > 0) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: <= 365 days)");
      }
      return new TimeoutPolicy(this);
    }
  }
}
