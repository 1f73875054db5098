package io.headroom.cache;

/** How invalidations reach the other instances' L1. */
public enum InvalidationMode {
  /**
   * Redis pub/sub on one channel per cache ({@code <prefix>:<name>:__invalidations}); each
   * message carries the sender's id so the sender ignores its own. The default.
   */
  PUBSUB,
  /**
   * No cross-instance invalidation: other instances' L1 entries live until their L1 TTL. Use it
   * only when a single instance writes, or when L1 TTL staleness is acceptable.
   */
  NONE
}
