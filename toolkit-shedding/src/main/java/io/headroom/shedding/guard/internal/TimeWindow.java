package io.headroom.shedding.guard.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Time-based outcome window: one bucket per second for the last {@code seconds} seconds, each
 * with its epoch second and three counters (calls, failures, slow calls) updated by atomic
 * increments; no lock.
 *
 * <p>A bucket is reused when its second comes round again: the first writer that sees a stale
 * epoch claims it with a compare-and-set and zeroes its counters. An outcome recorded by another
 * thread between that claim and the zeroing is lost: at most one per racing thread per second,
 * which the breaker's rates tolerate. Reading sums the buckets whose epoch is inside the window.
 */
final class TimeWindow extends OutcomeWindow {
  private static final long SECOND = 1_000_000_000L;
  static final int MAX_SECONDS = 3600;

  private final int seconds;
  private final AtomicLongArray epochs;
  private final AtomicLongArray counts;

  TimeWindow(int seconds) {
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException("seconds: " + seconds + " (expected: 1.." + MAX_SECONDS + ")");
    }
    this.seconds = seconds;
    this.epochs = new AtomicLongArray(seconds);
    this.counts = new AtomicLongArray(seconds * 3);
    for (int i = 0; i < seconds; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  @Override
  public void record(int outcome, long nowNanos) {
    long second = Math.floorDiv(nowNanos, SECOND);
    int bucket = (int) Math.floorMod(second, (long) seconds);
    long epoch = epochs.get(bucket);
    if (epoch != second) {
      if (epoch > second) {
        return; // a sample older than the bucket's current second: drop it rather than misfile it
      }
      if (epochs.compareAndSet(bucket, epoch, second)) {
        counts.set(bucket * 3, 0);
        counts.set(bucket * 3 + 1, 0);
        counts.set(bucket * 3 + 2, 0);
      }
    }
    counts.incrementAndGet(bucket * 3);
    if ((outcome & FAILURE) != 0) {
      counts.incrementAndGet(bucket * 3 + 1);
    }
    if ((outcome & SLOW) != 0) {
      counts.incrementAndGet(bucket * 3 + 2);
    }
  }

  @Override
  public long totals(long nowNanos) {
    long second = Math.floorDiv(nowNanos, SECOND);
    long calls = 0;
    long failures = 0;
    long slow = 0;
    for (int i = 0; i < seconds; i++) {
      long epoch = epochs.get(i);
      if (epoch <= second && epoch > second - seconds) {
        calls += counts.get(i * 3);
        failures += counts.get(i * 3 + 1);
        slow += counts.get(i * 3 + 2);
      }
    }
    return pack(calls, failures, slow);
  }
}
