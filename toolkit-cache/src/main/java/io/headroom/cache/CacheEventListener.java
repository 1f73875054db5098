package io.headroom.cache;

import java.time.Duration;

/**
 * Receives the faults and degradations a cache absorbs instead of throwing them. Every method
 * has a no-op default. Called on the thread that observed the event (a caller, the executor, or
 * a Lettuce I/O thread): implementations must be quick, thread-safe and must not throw (what
 * they throw is logged and dropped).
 *
 * @param <K> the key type
 */
public interface CacheEventListener<K> {

  /**
   * The loader failed and the key's last value, expired {@code staleness} ago (within the
   * stale-if-error bound), was served instead.
   */
  default void onStaleServed(K key, Duration staleness, Throwable loaderFailure) {}

  /** A refresh-ahead reload failed; the old value was kept. */
  default void onRefreshFailure(K key, Throwable failure) {}

  /** Bytes read from Redis for {@code key} could not be decoded; the entry was deleted. */
  default void onDecodeFailure(K key, Throwable failure) {}

  /** The L2 breaker changed state. */
  default void onBreakerStateChange(BreakerState from, BreakerState to) {}

  /**
   * The invalidation subscription was lost ({@code true}: L1 lifetimes are now capped) or
   * restored ({@code false}: L1 was cleared).
   */
  default void onInvalidationChannel(boolean lost) {}
}
