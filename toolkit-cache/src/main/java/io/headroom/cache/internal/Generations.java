package io.headroom.cache.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Striped invalidation counters: a load reads its key's stripe before it starts and may fill
 * L1 only if the stripe has not moved since. Striping bounds memory; a collision (another key of
 * the same stripe invalidated) only makes a load skip L1, which is safe. Thread-safe; not API.
 */
final class Generations {
  private static final int STRIPES = 4096;
  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

  private static int index(Object key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    h ^= h >>> 16;
    return h & (STRIPES - 1);
  }

  long stamp(Object key) {
    return stripes.get(index(key));
  }

  boolean isCurrent(Object key, long stamp) {
    return stripes.get(index(key)) == stamp;
  }

  /** Called before an invalidation removes the key from L1 (the order is what makes it safe). */
  void bump(Object key) {
    stripes.incrementAndGet(index(key));
  }

  void bumpAll() {
    for (int i = 0; i < STRIPES; i++) {
      stripes.incrementAndGet(i);
    }
  }
}
