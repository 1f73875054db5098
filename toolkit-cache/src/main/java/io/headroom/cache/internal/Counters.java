package io.headroom.cache.internal;

import java.util.concurrent.atomic.LongAdder;

/** The cache's counters (striped, contention-free). Not API. */
final class Counters {
  final LongAdder l1Hits = new LongAdder();
  final LongAdder l1Misses = new LongAdder();
  final LongAdder l2Hits = new LongAdder();
  final LongAdder l2Misses = new LongAdder();
  final LongAdder loads = new LongAdder();
  final LongAdder loadFailures = new LongAdder();
  final LongAdder loadNanos = new LongAdder();
  final LongAdder l2Errors = new LongAdder();
  final LongAdder l2Timeouts = new LongAdder();
  final LongAdder l2Bypassed = new LongAdder();
  final LongAdder l2WritesSkipped = new LongAdder();
  final LongAdder valuesTooLarge = new LongAdder();
  final LongAdder decodeFailures = new LongAdder();
  final LongAdder invalidationsSent = new LongAdder();
  final LongAdder invalidationsReceived = new LongAdder();
  final LongAdder racedLoadsDiscarded = new LongAdder();
  final LongAdder staleServed = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder refreshFailures = new LongAdder();
  final LongAdder subscriptionLosses = new LongAdder();
}
