package io.headroom.shedding.guard.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The last {@code size} latencies of successful attempts and a cached percentile of them, for
 * hedging after "the p95 of recent calls".
 *
 * <p>Recording is one {@code getAndIncrement} and one ordered store; every {@code size / 4}
 * recordings, the recorder whose sequence number crosses the boundary copies and sorts the ring
 * (a few microseconds for 512 entries) and publishes the new percentile through a volatile
 * field, so the cost per call stays small and no thread waits for another.
 *
 * <p>Not API. Thread-safe.
 */
public final class LatencyRing {
  private final int size;
  private final double quantile;
  private final AtomicLongArray samples;
  private final AtomicLong sequence = new AtomicLong();
  private final long initialNanos;
  private volatile long estimateNanos;

  /**
   * @param quantile in (0, 1), e.g. 0.95
   * @param initialNanos the answer until {@code size / 4} samples have been seen
   */
  public LatencyRing(int size, double quantile, long initialNanos) {
    this.size = size;
    this.quantile = quantile;
    this.samples = new AtomicLongArray(size);
    this.initialNanos = initialNanos;
    this.estimateNanos = initialNanos;
  }

  /** Records one latency. */
  public void record(long nanos) {
    long n = sequence.getAndIncrement();
    // Ordered store: the sorter may read a slightly old value for a slot, which only blurs the
    // estimate; no happens-before edge is needed.
    samples.lazySet((int) (n % size), nanos);
    long seen = n + 1;
    if (seen % Math.max(1, size / 4) == 0) {
      recompute(Math.min(seen, size));
    }
  }

  private void recompute(long filled) {
    long[] copy = new long[(int) filled];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = samples.get(i);
    }
    Arrays.sort(copy);
    int index = (int) Math.min(copy.length - 1, Math.max(0, Math.ceil(quantile * copy.length) - 1));
    estimateNanos = copy[index];
  }

  /** The current percentile estimate in nanoseconds. */
  public long estimateNanos() {
    return estimateNanos;
  }

  /** The estimate given before enough samples arrived. */
  public long initialNanos() {
    return initialNanos;
  }
}
