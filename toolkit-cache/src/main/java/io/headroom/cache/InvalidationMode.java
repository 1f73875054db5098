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
   * <prefix>:<name>: NOLOOP}) on the data connection: Redis itself tells every instance about
   * every write under the cache's prefix, from any client, including writes made outside the
   * cache. Needs Redis 6+, a standalone {@code RedisClient} speaking RESP3 (Lettuce's default
   * against Redis 6+); every L2 write, load write-backs included, evicts the key from other
   * instances' L1.
   */
  TRACKING,
  /**
   * No cross-instance invalidation: other instances' L1 entries live until their L1 TTL. Use it
   * only when a single instance writes, or when L1 TTL staleness is acceptable.
   */
  NONE
}
