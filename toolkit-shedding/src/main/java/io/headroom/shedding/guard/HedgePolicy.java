package io.headroom.shedding.guard;

import io.headroom.shedding.guard.internal.LatencyRing;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hedging for idempotent async calls: if an attempt has not answered after the hedge delay,
 * start another one (up to {@code maxHedges}); the first success wins, the other attempts are
 * cancelled; the call fails only when every started attempt failed. Each hedge takes a token
 * from the guard's {@link RetryBudget}; without one, no hedge is sent. Applies to
 * {@link Guard#callAsync} only; sync calls through a hedging guard are not hedged.
 *
 * <p>The delay is fixed, or a percentile of the latencies of recent successful attempts of the
 * guard (the last 512, re-sorted every 128), starting from an initial delay until enough
 * samples arrive. A percentile policy keeps those latencies itself: give each dependency its own
 * instance. Immutable settings; the percentile tracker is thread-safe.
 */
public final class HedgePolicy {
  private static final int RING = 512;

  private final long fixedDelayNanos;
  /** The percentile of a percentile policy (for {@link #toString}); NaN for a fixed delay. */
  private final double percentile;
  private final @Nullable LatencyRing latencies;
  private final long minDelayNanos;
  private final int maxHedges;

  private HedgePolicy(
      long fixedDelayNanos, double percentile, @Nullable LatencyRing latencies, long minDelayNanos, int maxHedges) {
    this.fixedDelayNanos = fixedDelayNanos;
    this.percentile = percentile;
    this.latencies = latencies;
    this.minDelayNanos = minDelayNanos;
    this.maxHedges = maxHedges;
  }

  /** Hedge once after a fixed {@code delay}. */
  public static HedgePolicy fixedDelay(Duration delay) {
    return fixedDelay(delay, 1);
  }

  /**
   * Hedge after a fixed delay, up to {@code maxHedges} times (each after a further delay).
   *
   * @throws IllegalArgumentException if the delay is negative or maxHedges is outside [1, 10]
   */
  public static HedgePolicy fixedDelay(Duration delay, int maxHedges) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
    checkMaxHedges(maxHedges);
    return new HedgePolicy(delay.toNanos(), Double.NaN, null, 0, maxHedges);
  }

  /**
   * Hedge once when an attempt has taken longer than the {@code percentile} (e.g. 95.0) of the
   * guard's recent latencies, but never before {@code minDelay}; until 128 latencies have been
   * seen, hedge after {@code initialDelay}.
   *
   * @throws IllegalArgumentException if percentile is outside (0, 100) or a delay is negative
   */
  public static HedgePolicy percentile(double percentile, Duration initialDelay, Duration minDelay) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(minDelay, "minDelay");
    if (!(percentile > 0 && percentile < 100)) {
      throw new IllegalArgumentException("percentile: " + percentile + " (expected: > 0 and < 100)");
    }
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay: " + initialDelay + " (expected: >= 0)");
    }
    if (minDelay.isNegative()) {
      throw new IllegalArgumentException("minDelay: " + minDelay + " (expected: >= 0)");
    }
    return new HedgePolicy(
        -1, percentile, new LatencyRing(RING, percentile / 100.0, initialDelay.toNanos()), minDelay.toNanos(), 1);
  }

  private static void checkMaxHedges(int maxHedges) {
    if (maxHedges < 1 || maxHedges > 10) {
      throw new IllegalArgumentException("maxHedges: " + maxHedges + " (expected: 1..10)");
    }
  }

  public int maxHedges() {
    return maxHedges;
  }

  /** The delay the next hedge waits, from now. */
  public Duration currentDelay() {
    return Duration.ofNanos(delayNanos());
  }

  long delayNanos() {
    LatencyRing ring = latencies;
    return ring == null ? fixedDelayNanos : Math.max(minDelayNanos, ring.estimateNanos());
  }

  @Override
  public String toString() {
    return latencies == null
        ? "HedgePolicy[delay=" + Duration.ofNanos(fixedDelayNanos) + ", maxHedges=" + maxHedges + "]"
        : "HedgePolicy[percentile=" + percentile + ", minDelay=" + Duration.ofNanos(minDelayNanos)
            + ", maxHedges=" + maxHedges + "]";
  }

  void recordLatency(long nanos) {
    LatencyRing ring = latencies;
    if (ring != null) {
      ring.record(nanos);
    }
  }
}
