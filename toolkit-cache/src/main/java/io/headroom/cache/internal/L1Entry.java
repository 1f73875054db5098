package io.headroom.cache.internal;

import org.jspecify.annotations.Nullable;

/**
 * What L1 holds for a key: a value, or "absent" (negative caching) when {@code value} is null.
 * Immutable.
 */
final class L1Entry<V> {
  final @Nullable V value;
  /** The version of the value in L2 (header), 0 if unknown; used for compare-and-set writes. */
  final long version;
  /** Ticker time the value was loaded (for refresh-ahead ages). */
  final long loadedAtNanos;
  /** Ticker time after which the value is logically expired (stale-if-error candidates). */
  final long freshUntilNanos;
  /** Ticker time after which the entry must leave L1. */
  final long physicalUntilNanos;

  L1Entry(@Nullable V value, long version, long loadedAtNanos, long freshUntilNanos, long physicalUntilNanos) {
    this.value = value;
    this.version = version;
    this.loadedAtNanos = loadedAtNanos;
    this.freshUntilNanos = freshUntilNanos;
    this.physicalUntilNanos = physicalUntilNanos;
  }
}
