package io.headroom.async;

import java.time.Duration;
import java.util.Objects;

/**
 * What an idle worker (all its lanes empty) does: spin {@code spins} times
 * ({@link Thread#onSpinWait()}), then yield {@code yields} times, then park, starting at
 * {@code minPark} and doubling on each idle round up to {@code maxPark}. A submit to a parked
 * worker unparks it at once (a producer reads the worker's sleeping flag after queueing, no lock),
 * so parking costs latency only in the first job after idleness, not one park period; the park
 * period bounds how long a worker sleeps if nothing wakes it.
 *
 * <p>The {@linkplain #defaults() default} costs nothing measurable when idle: with 100 spins,
 * 10 yields and parks from 50 µs up to 10 ms, an idle worker wakes about 100 times a second.
 * {@link #busySpin()} never parks: the lowest hand-off latency, one core per worker, always.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdleStrategy {
  private static final IdleStrategy DEFAULTS =
      new IdleStrategy(100, 10, Duration.ofNanos(50_000), Duration.ofMillis(10));
  private static final IdleStrategy BUSY_SPIN =
      new IdleStrategy(Integer.MAX_VALUE, 0, Duration.ofNanos(1), Duration.ofNanos(1));

  private final int spins;
  private final int yields;
  private final Duration minPark;
  private final Duration maxPark;

  private IdleStrategy(int spins, int yields, Duration minPark, Duration maxPark) {
    this.spins = spins;
    this.yields = yields;
    this.minPark = minPark;
    this.maxPark = maxPark;
  }

  /** 100 spins, 10 yields, then parks from 50 µs doubling to 10 ms. */
  public static IdleStrategy defaults() {
    return DEFAULTS;
  }

  /** Spins forever: lowest latency, one full core per worker even when idle. */
  public static IdleStrategy busySpin() {
    return BUSY_SPIN;
  }

  /**
   * Spin, then yield, then park with a bounded exponential back-off.
   *
   * @throws IllegalArgumentException if {@code spins} or {@code yields} is negative, a park is
   *     not positive, or {@code maxPark < minPark}
   * @throws NullPointerException if a duration is null
   */
  public static IdleStrategy backoff(int spins, int yields, Duration minPark, Duration maxPark) {
    Objects.requireNonNull(minPark, "minPark");
    Objects.requireNonNull(maxPark, "maxPark");
    if (spins < 0) {
      throw new IllegalArgumentException("spins: " + spins + " (expected: >= 0)");
    }
    if (yields < 0) {
      throw new IllegalArgumentException("yields: " + yields + " (expected: >= 0)");
    }
    if (minPark.isNegative() || minPark.isZero()) {
      throw new IllegalArgumentException("minPark: " + minPark + " (expected: > 0)");
    }
    if (maxPark.compareTo(minPark) < 0) {
      throw new IllegalArgumentException("maxPark: " + maxPark + " (expected: >= minPark " + minPark + ")");
    }
    return new IdleStrategy(spins, yields, minPark, maxPark);
  }

  public int spins() {
    return spins;
  }

  public int yields() {
    return yields;
  }

  public Duration minPark() {
    return minPark;
  }

  public Duration maxPark() {
    return maxPark;
  }

  @Override
  public String toString() {
    return this == BUSY_SPIN
        ? "IdleStrategy[busySpin]"
        : "IdleStrategy[spins=" + spins + ", yields=" + yields + ", park=" + minPark + ".." + maxPark + "]";
  }
}
