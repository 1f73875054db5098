package io.headroom.cache;

/** How invalidations reach the other instances' L1. */
public enum InvalidationMode {
  /**
   * Redis pub/sub on one channel per cache ({@code <prefix>:<name>:__invalidations}); each
   * message carries the sender's id so the sender ignores its own. The default.
   */
  PUBSUB,
  /**
   * Redis server-assisted client tracking (RESP3 {@code CLIENT TRACKING ON BCAST PREFIX
   * <prefix>:<name>:}) on the data connection: Redis itself tells every instance about every
   * write under the cache's prefix, from any client, including writes made outside the cache.
   * Needs Redis 6+, a standalone {@code RedisClient} speaking RESP3 (Lettuce's default against
   * Redis 6+); every L2 write, load write-backs included, evicts the key from other instances'
   * L1.
   *
   * <p>Tracking is enabled without {@code NOLOOP}, so Redis also notifies an instance of its own
   * writes: Redis 7.0 does not apply {@code NOLOOP} to writes made inside scripts (the
   * compare-and-set write-back of a load is one), so it could not be relied on. Instead each
   * instance marks the keys it is about to write and a notification that finds a mark consumes
   * it rather than evicting the instance's own L1 entry; if another client's notification for
   * the key consumes the mark first, the result is one extra eviction, never a missed one.
   */
  TRACKING,
  /**
   * No cross-instance invalidation: other instances' L1 entries live until their L1 TTL. Use it
   * only when a single instance writes, or when L1 TTL staleness is acceptable.
   */
  NONE
}
