package io.headroom.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A cache with an in-process tier (L1, Caffeine) over an optional shared tier (L2, Redis through
 * Lettuce). Built by {@link #builder(String)}; the API is the same in local-only and two-tier
 * mode.
 *
 * <p>A read goes L1, then L2, then the loader, and fills the tiers on the way back. What it
 * guarantees:
 * <ul>
 *   <li><b>Single flight.</b> Concurrent misses on one key in one process share one L2 read and
 *       at most one loader call; all of them get its value or its exception. A failed load
 *       caches nothing.
 *   <li><b>No stale value from a race.</b> A load that started before an invalidation (local
 *       {@link #put}/{@link #invalidate}, or one received from another instance) of its key
 *       returns its value to its callers but leaves it in neither L1 nor L2: L2 write-backs of
 *       loads are compare-and-set against the state the load observed.
 *   <li><b>Redis faults never fail a read.</b> Every Redis call has a timeout; a breaker
 *       bypasses L2 after repeated failures; reads fall back to L1 and the loader.
 *   <li><b>Bounded staleness.</b> See the module README: an L1 entry is at most its L1 TTL old;
 *       while the invalidation channel is down, at most the disconnected bound.
 * </ul>
 *
 * <p>Loaders return {@code null} for "absent": nothing is cached unless negative caching is on.
 * Null is never stored as a value. Keys and values must not be null ({@code
 * NullPointerException} naming the argument).
 *
 * <p>Thread-safe. The async methods never block the calling thread; their futures complete on
 * the cache's executor.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface TieredCache<K, V> extends AutoCloseable {

  /** A builder for a cache named {@code name} (part of every Redis key and the channel). */
  static <K, V> TieredCacheBuilder<K, V> builder(String name) {
    return new TieredCacheBuilder<>(name);
  }

  /** The cache's name. */
  String name();

  /**
   * The value for {@code key}: from L1, else L2, else {@code loader} (single flight). Blocks
   * for at most the Redis timeout on L2, plus the loader's own time.
   *
   * @return the value, or {@code null} if the loader says absent
   * @throws RuntimeException what the loader threw (no stale value to serve)
   */
  @Nullable V get(K key, Function<? super K, ? extends @Nullable V> loader);

  /**
   * {@link #get(Object, Function)} with the builder's loader.
   *
   * @throws IllegalStateException if the builder set no loader
   */
  @Nullable V get(K key);

  /** The value from L1, else L2 (filling L1); never loads. {@code null} if neither holds it. */
  @Nullable V getIfPresent(K key);

  /**
   * The values of {@code keys} that exist: L1 hits, then every L1 miss in one {@code MGET},
   * then one call of {@code bulkLoader} with the rest, whose results are written to Redis in one
   * pipelined flush. Keys the bulk loader leaves out are absent.
   */
  Map<K, V> getAll(
      Collection<? extends K> keys,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader);

  /**
   * Async {@link #get(Object, Function)}: never blocks the calling thread, on Redis or on
   * another caller's load. The future completes with {@code null} for absent.
   */
  CompletableFuture<@Nullable V> getAsync(
      K key, Function<? super K, ? extends CompletableFuture<? extends @Nullable V>> asyncLoader);

  /**
   * Stores {@code value} in L1 and L2 (unconditionally, waiting at most the Redis timeout) and
   * evicts {@code key} from every other instance's L1.
   */
  void put(K key, V value);

  /**
   * Removes {@code key} from L1, L2 and every other instance's L1. In L2 a short-lived tombstone
   * replaces the value so that a load racing this call cannot write its value back.
   */
  void invalidate(K key);

  /** {@link #invalidate} for many keys: one pipelined flush and one invalidation message. */
  void invalidateAll(Collection<? extends K> keys);

  /** A snapshot of the statistics. */
  CacheStats stats();

  /**
   * Stops the cache: closes its Redis connections (and the client it created from a URI; never
   * a client the caller passed in) and its scheduler. Idempotent.
   */
  @Override
  void close();
}
