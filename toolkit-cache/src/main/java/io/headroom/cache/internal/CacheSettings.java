package io.headroom.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.headroom.cache.CacheEventListener;
import io.headroom.cache.InvalidationMode;
import io.headroom.cache.KeyCodec;
import io.headroom.cache.ValueCodec;
import io.lettuce.core.AbstractRedisClient;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The validated, copied settings of one cache. Not API.
 *
 * @param redisClient the client to connect with, or null for local-only
 * @param ownsClient whether the cache created the client (and shuts it down on close)
 */
public record CacheSettings<K, V>(
    String name,
    String keyPrefix,
    @Nullable KeyCodec<K> keyCodec,
    @Nullable ValueCodec<V> valueCodec,
    long maximumSize,
    long maximumWeight,
    @Nullable ToIntBiFunction<K, V> weigher,
    long l1TtlNanos,
    long l2TtlMillis,
    double l2TtlJitter,
    long negativeTtlNanos,
    long refreshAfterNanos,
    long staleIfErrorNanos,
    long redisTimeoutNanos,
    int breakerFailureThreshold,
    long breakerCoolDownNanos,
    long l1TtlWhileDisconnectedNanos,
    long tombstoneTtlMillis,
    int maximumValueBytes,
    InvalidationMode invalidationMode,
    @Nullable AbstractRedisClient redisClient,
    boolean ownsClient,
    Executor executor,
    Ticker ticker,
    Clock clock,
    CacheEventListener<K> listener,
    @Nullable Function<? super K, ? extends @Nullable V> loader) {

  /** Whether there is an L2. */
  public boolean twoTier() {
    return redisClient != null;
  }
}
