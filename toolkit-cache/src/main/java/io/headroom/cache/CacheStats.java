package io.headroom.cache;

import java.time.Duration;

/**
 * An immutable snapshot of a cache's statistics, counted since it was built. Taking one costs a
 * few dozen volatile reads; the counters behind it are striped ({@code LongAdder}) so counting
 * does not contend.
 *
 * @param l1Hits reads answered by L1 (including cached "absent")
 * @param l1Misses reads L1 could not answer
 * @param l2Hits L1 misses answered by L2
 * @param l2Misses L1 misses L2 could not answer (absent, expired, undecodable, error, bypassed)
 * @param loads successful loader calls (single and bulk, refreshes included)
 * @param loadFailures loader calls that threw
 * @param totalLoadTimeNanos time spent in loaders, successful or not
 * @param l2Errors Redis calls that failed (not timeouts)
 * @param l2Timeouts Redis calls that exceeded the timeout
 * @param l2Bypassed Redis calls not made because the breaker was open
 * @param l2WritesSkipped L2 writes not made (breaker open, raced by an invalidation, failed)
 * @param valuesTooLarge values not cached because their encoding exceeded the size limit
 * @param decodeFailures L2 entries that failed to decode (deleted, counted as misses)
 * @param breakerState the L2 breaker's state now
 * @param breakerOpenings how many times the breaker opened
 * @param invalidationsSent keys this instance announced as invalidated to other instances
 * @param invalidationsReceived keys other instances announced that this instance applied
 * @param racedLoadsDiscarded loads whose value was kept out of L1 because an invalidation raced
 * @param staleServed stale values served because the loader failed
 * @param refreshes refresh-ahead reloads that succeeded
 * @param refreshFailures refresh-ahead reloads that failed (old value kept)
 * @param subscriptionLosses times the invalidation subscription was lost
 * @param l1Size estimated number of L1 entries
 * @param l1WeightedSize L1's current weight (the entry count if bounded by size)
 * @param l1Capacity L1's bound: maximum size or maximum weight
 */
public record CacheStats(
    long l1Hits,
    long l1Misses,
    long l2Hits,
    long l2Misses,
    long loads,
    long loadFailures,
    long totalLoadTimeNanos,
    long l2Errors,
    long l2Timeouts,
    long l2Bypassed,
    long l2WritesSkipped,
    long valuesTooLarge,
    long decodeFailures,
    BreakerState breakerState,
    long breakerOpenings,
    long invalidationsSent,
    long invalidationsReceived,
    long racedLoadsDiscarded,
    long staleServed,
    long refreshes,
    long refreshFailures,
    long subscriptionLosses,
    long l1Size,
    long l1WeightedSize,
    long l1Capacity) {

  /** L1 hits over L1 requests; 1 when there were none. */
  public double l1HitRatio() {
    long requests = l1Hits + l1Misses;
    return requests == 0 ? 1.0 : (double) l1Hits / requests;
  }

  /** Mean loader time; zero when nothing was loaded. */
  public Duration averageLoadTime() {
    long n = loads + loadFailures;
    return n == 0 ? Duration.ZERO : Duration.ofNanos(totalLoadTimeNanos / n);
  }

  /** L1 saturation: weighted size over capacity, in [0, 1] (may briefly exceed 1). */
  public double l1Saturation() {
    return l1Capacity == 0 ? 0.0 : (double) l1WeightedSize / l1Capacity;
  }
}
