package io.headroom.async.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A cheap single-writer histogram of non-negative durations in nanoseconds, with log-linear
 * buckets: exact below 32 ns, then 16 buckets per power of two, so a reported percentile is at
 * most 1/16 (6.25%) above the true value and never below it. 960 buckets cover the whole
 * {@code long} range in 7.5 KiB; recording is a bucket index computation, a volatile read and an
 * ordered store, no allocation and no CAS. (HdrHistogram uses the same log-linear idea; this is a
 * fixed-precision version with no dependency.)
 *
 * <p>Thread-safety: exactly one thread may call {@link #record} (each worker owns one recorder);
 * any thread may call {@link #addTo} at any time and sees a recent, not necessarily exact, state.
 *
 * <p>Not API.
 */
public final class LatencyRecorder {
  /** Sub-bucket bits: 16 buckets per power of two. */
  private static final int SUB_BITS = 4;
  private static final int SUB_COUNT = 1 << SUB_BITS;
  /** Values below this are recorded exactly. */
  private static final int LINEAR = SUB_COUNT * 2;
  /** Number of buckets: exact 0..31, then 16 per power of two for exponents 5..62. */
  public static final int BUCKETS = LINEAR + (63 - (SUB_BITS + 1)) * SUB_COUNT;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  /** The bucket of {@code nanos} (negative values count as 0). */
  public static int bucketOf(long nanos) {
    if (nanos < LINEAR) {
      return nanos < 0 ? 0 : (int) nanos;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(nanos);
    int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1);
    return LINEAR + (exponent - (SUB_BITS + 1)) * SUB_COUNT + sub;
  }

  /** The largest value that falls in {@code bucket}. */
  public static long upperBound(int bucket) {
    if (bucket < LINEAR) {
      return bucket;
    }
    int exponent = (bucket - LINEAR) / SUB_COUNT + SUB_BITS + 1;
    int sub = (bucket - LINEAR) % SUB_COUNT;
    long next = (long) (SUB_COUNT + sub + 1) << (exponent - SUB_BITS);
    // For the last bucket, next overflows to Long.MIN_VALUE and next - 1 is Long.MAX_VALUE.
    return next - 1;
  }

  /** Records one value. Single writer only. */
  public void record(long nanos) {
    int i = bucketOf(nanos);
    // Single writer: read-increment-write needs no CAS. lazySet (release) lets a reader on another
    // thread see a value no older than an earlier one it saw; it is not a happens-before edge that
    // anything else relies on, only freshness for snapshots.
    counts.lazySet(i, counts.get(i) + 1);
  }

  /** Adds this recorder's counts into {@code into} (length {@link #BUCKETS}). */
  public void addTo(long[] into) {
    for (int i = 0; i < BUCKETS; i++) {
      into[i] += counts.get(i);
    }
  }

  /**
   * The value at quantile {@code q} (0..1] of merged counts: the upper bound of the bucket that
   * holds the {@code ceil(q * total)}-th value; 0 when empty.
   */
  public static long valueAt(long[] merged, double q) {
    long total = 0;
    for (long c : merged) {
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < merged.length; i++) {
      seen += merged[i];
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(merged.length - 1);
  }

  /** The total count of merged counts. */
  public static long count(long[] merged) {
    long total = 0;
    for (long c : merged) {
      total += c;
    }
    return total;
  }
}
