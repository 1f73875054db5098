package io.headroom.shedding;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of an {@link AdaptiveLimiter}: limit, in-flight, queue depth, counts
 * per priority and the no-load RTT estimate. Counters are cumulative since the limiter was
 * built; fields are read one after another, not atomically together.
 *
 * <p>Immutable.
 */
// Priority.ordinal() is stable API (see Priority) and indexes the per-priority arrays.
@SuppressWarnings("EnumOrdinal")
public final class LimiterSnapshot {
  private final int limit;
  private final int inFlight;
  private final int queueDepth;
  private final long[] accepted;
  private final long[] rejected;
  private final long dropped;
  private final long listenerFailures;
  private final Optional<Duration> noLoadRtt;

  LimiterSnapshot(
      int limit,
      int inFlight,
      int queueDepth,
      long[] accepted,
      long[] rejected,
      long dropped,
      long listenerFailures,
      Optional<Duration> noLoadRtt) {
    this.limit = limit;
    this.inFlight = inFlight;
    this.queueDepth = queueDepth;
    this.accepted = accepted.clone();
    this.rejected = rejected.clone();
    this.dropped = dropped;
    this.listenerFailures = listenerFailures;
    this.noLoadRtt = noLoadRtt;
  }

  /** The concurrency limit. */
  public int limit() {
    return limit;
  }

  /** Requests admitted and not completed. */
  public int inFlight() {
    return inFlight;
  }

  /** Callers waiting in {@link AdaptiveLimiter#acquire}. */
  public int queueDepth() {
    return queueDepth;
  }

  /** Requests of this priority admitted (immediately or after waiting). */
  public long accepted(Priority priority) {
    return accepted[Objects.requireNonNull(priority, "priority").ordinal()];
  }

  /** Requests of this priority refused (at once, or after waiting). */
  public long rejected(Priority priority) {
    return rejected[Objects.requireNonNull(priority, "priority").ordinal()];
  }

  /** Admitted requests over all priorities. */
  public long acceptedTotal() {
    long sum = 0;
    for (long a : accepted) {
      sum += a;
    }
    return sum;
  }

  /** Refused requests over all priorities. */
  public long rejectedTotal() {
    long sum = 0;
    for (long r : rejected) {
      sum += r;
    }
    return sum;
  }

  /** Permits completed as {@link Permit#dropped()}. */
  public long dropped() {
    return dropped;
  }

  /** Exceptions thrown by the {@link LimitListener}. */
  public long listenerFailures() {
    return listenerFailures;
  }

  /** The algorithm's no-load RTT estimate, if it keeps one and has enough samples. */
  public Optional<Duration> noLoadRtt() {
    return noLoadRtt;
  }

  @Override
  public String toString() {
    return "LimiterSnapshot{limit=" + limit + ", inFlight=" + inFlight + ", queueDepth="
        + queueDepth + ", accepted=" + acceptedTotal() + ", rejected=" + rejectedTotal()
        + ", dropped=" + dropped + ", noLoadRtt=" + noLoadRtt.orElse(null) + "}";
  }
}
