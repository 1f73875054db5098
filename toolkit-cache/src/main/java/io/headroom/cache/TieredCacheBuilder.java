package io.headroom.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.headroom.cache.internal.CacheSettings;
import io.headroom.cache.internal.DefaultTieredCache;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link TieredCache}. Without a Redis setting ({@link #redis(RedisClient)},
 * {@link #redisCluster(RedisClusterClient)}, {@link #redisUri(String)},
 * {@link #redisClusterUri(String)}) the cache is local-only; with one it is two-tier and needs a
 * {@link #keyCodec} and a {@link #valueCodec}.
 *
 * <p>Every setting, its default, and what it does is in the module README and on each method.
 * {@link #build()} validates and copies the settings: reusing the builder cannot change a built
 * cache. Not thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TieredCacheBuilder<K, V> {

  private static final long DEFAULT_MAXIMUM_SIZE = 10_000;
  private static final Duration ONE_MILLI = Duration.ofMillis(1);
  private static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

  private final String name;
  private String keyPrefix = "headroom";
  private @Nullable KeyCodec<K> keyCodec;
  private @Nullable ValueCodec<V> valueCodec;
  // Boxed so that "not set" (null) is not a value a caller can pass: maximumSize(-1) must be
  // rejected, not mistaken for "unset".
  private @Nullable Long maximumSize;
  private @Nullable Long maximumWeight;
  private @Nullable ToIntBiFunction<K, V> weigher;
  private Duration l1Ttl = Duration.ofMinutes(1);
  private Duration l2Ttl = Duration.ofMinutes(10);
  private double l2TtlJitter = 0.1;
  private @Nullable Duration negativeTtl;
  private @Nullable Duration refreshAfter;
  private @Nullable Duration staleIfError;
  private Duration redisTimeout = Duration.ofMillis(250);
  private int breakerFailureThreshold = 5;
  private Duration breakerCoolDown = Duration.ofSeconds(1);
  private Duration l1TtlWhileDisconnected = Duration.ofSeconds(2);
  private Duration tombstoneTtl = Duration.ofSeconds(60);
  private int maximumValueBytes = Integer.MAX_VALUE;
  private InvalidationMode invalidationMode = InvalidationMode.PUBSUB;
  private @Nullable AbstractRedisClient redisClient;
  private @Nullable String redisUri;
  private boolean clusterUri;
  private int redisSettings;
  private Executor executor = ForkJoinPool.commonPool();
  private Ticker ticker = Ticker.systemTicker();
  private Clock clock = Clock.systemUTC();
  private @Nullable CacheEventListener<K> listener;
  private @Nullable Function<? super K, ? extends @Nullable V> loader;

  TieredCacheBuilder(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** Redis key prefix: keys are {@code <prefix>:<name>:<encoded key>}. Default {@code headroom}. */
  public TieredCacheBuilder<K, V> keyPrefix(String keyPrefix) {
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    return this;
  }

  /** How keys map to Redis keys. Required in two-tier mode. */
  public TieredCacheBuilder<K, V> keyCodec(KeyCodec<K> keyCodec) {
    this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
    return this;
  }

  /** How values map to bytes in Redis. Required in two-tier mode. */
  public TieredCacheBuilder<K, V> valueCodec(ValueCodec<V> valueCodec) {
    this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
    return this;
  }

  /**
   * L1 bound by entry count (W-TinyLFU eviction), {@code >= 0}. Default 10,000 when no weight is
   * set.
   */
  public TieredCacheBuilder<K, V> maximumSize(long maximumSize) {
    this.maximumSize = maximumSize;
    return this;
  }

  /** L1 bound by total weight ({@code >= 0}), with {@link #weigher}; excludes {@link #maximumSize}. */
  public TieredCacheBuilder<K, V> maximumWeight(long maximumWeight) {
    this.maximumWeight = maximumWeight;
    return this;
  }

  /** The weight of an L1 entry (non-negative); required with {@link #maximumWeight}. */
  public TieredCacheBuilder<K, V> weigher(ToIntBiFunction<K, V> weigher) {
    this.weigher = Objects.requireNonNull(weigher, "weigher");
    return this;
  }

  /** L1 lifetime after write. Default 1 minute. */
  public TieredCacheBuilder<K, V> l1ExpireAfterWrite(Duration ttl) {
    this.l1Ttl = Objects.requireNonNull(ttl, "ttl");
    return this;
  }

  /** L2 (Redis) lifetime after write, before jitter. Default 10 minutes. */
  public TieredCacheBuilder<K, V> l2ExpireAfterWrite(Duration ttl) {
    this.l2Ttl = Objects.requireNonNull(ttl, "ttl");
    return this;
  }

  /**
   * L2 TTL jitter in [0, 1): each write's TTL is {@code ttl × (1 − jitter × r)}, r uniform in
   * [0, 1), so keys written together do not expire together. Default 0.1.
   */
  public TieredCacheBuilder<K, V> l2TtlJitter(double jitter) {
    this.l2TtlJitter = jitter;
    return this;
  }

  /** Caches a loader's "absent" answer (null) for {@code ttl} in both tiers. Default off. */
  public TieredCacheBuilder<K, V> negativeTtl(Duration ttl) {
    this.negativeTtl = Objects.requireNonNull(ttl, "ttl");
    return this;
  }

  /**
   * Refresh ahead: a read of a value older than {@code age} returns it and starts one background
   * reload of the key (with the loader of that read). Must be shorter than the L1 TTL. Default
   * off.
   */
  public TieredCacheBuilder<K, V> refreshAfter(Duration age) {
    this.refreshAfter = Objects.requireNonNull(age, "age");
    return this;
  }

  /**
   * Stale if error: when the loader throws and the key's last value expired at most
   * {@code bound} ago, serve it (counted, reported to the listener). Both tiers keep values
   * physically for this long after their TTL. Default off.
   */
  public TieredCacheBuilder<K, V> staleIfError(Duration bound) {
    this.staleIfError = Objects.requireNonNull(bound, "bound");
    return this;
  }

  /** The timeout of every Redis call. Default 250 ms. */
  public TieredCacheBuilder<K, V> redisTimeout(Duration timeout) {
    this.redisTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** Consecutive Redis failures (errors or timeouts) that open the breaker. Default 5. */
  public TieredCacheBuilder<K, V> breakerFailureThreshold(int failures) {
    this.breakerFailureThreshold = failures;
    return this;
  }

  /** How long the open breaker bypasses Redis before a background probe. Default 1 second. */
  public TieredCacheBuilder<K, V> breakerCoolDown(Duration coolDown) {
    this.breakerCoolDown = Objects.requireNonNull(coolDown, "coolDown");
    return this;
  }

  /**
   * The staleness bound while the invalidation subscription is down: L1 lifetimes (existing and
   * new entries) are capped to this; L1 is cleared when the subscription is back. Default 2 s.
   */
  public TieredCacheBuilder<K, V> l1TtlWhileDisconnected(Duration bound) {
    this.l1TtlWhileDisconnected = Objects.requireNonNull(bound, "bound");
    return this;
  }

  /**
   * How long an invalidation's tombstone stays in Redis; a load slower than this that raced an
   * invalidation could write its value back. At least 1 ms (Redis expiries are in milliseconds).
   * Default 60 s.
   */
  public TieredCacheBuilder<K, V> tombstoneTtl(Duration ttl) {
    this.tombstoneTtl = Objects.requireNonNull(ttl, "ttl");
    return this;
  }

  /** Values whose encoding is larger are returned but cached in neither tier. Default no limit. */
  public TieredCacheBuilder<K, V> maximumValueBytes(int bytes) {
    this.maximumValueBytes = bytes;
    return this;
  }

  /** How invalidations reach other instances. Default {@link InvalidationMode#PUBSUB}. */
  public TieredCacheBuilder<K, V> invalidationMode(InvalidationMode mode) {
    this.invalidationMode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Two-tier mode on a client the caller owns (standalone, Sentinel, TLS, ACL: whatever its URI
   * says). The cache opens one multiplexed data connection and one pub/sub connection on it and
   * closes them on {@link TieredCache#close()}, but never shuts the client down. Recommended
   * client option: {@code disconnectedBehavior(REJECT_COMMANDS)}, so commands are not buffered
   * and replayed after an outage.
   */
  public TieredCacheBuilder<K, V> redis(RedisClient client) {
    this.redisClient = Objects.requireNonNull(client, "client");
    this.redisSettings++;
    return this;
  }

  /**
   * Two-tier mode on a Redis Cluster client the caller owns; see {@link #redis(RedisClient)}.
   * {@link InvalidationMode#TRACKING} is not available on a cluster ({@link #build()} throws
   * {@code IllegalStateException}). On a cluster, {@code put} and {@code invalidate} publish their
   * invalidation only after Redis acknowledged the write (one extra round trip), and
   * {@code getAll} sends one {@code MGET} per hash slot.
   */
  public TieredCacheBuilder<K, V> redisCluster(RedisClusterClient client) {
    this.redisClient = Objects.requireNonNull(client, "client");
    this.redisSettings++;
    return this;
  }

  /**
   * Two-tier mode on a client the cache creates from a Lettuce URI ({@code redis://},
   * {@code rediss://} for TLS, {@code redis-sentinel://host:port#master}, user and password in the
   * URI) and shuts down on close. It rejects commands while disconnected instead of buffering
   * them. A {@code rediss://} server is verified against the JVM's default trust store (or not at
   * all with {@code ?verifyPeer=NONE}); for a private CA pass a configured client to
   * {@link #redis(RedisClient)}.
   */
  public TieredCacheBuilder<K, V> redisUri(String uri) {
    this.redisUri = Objects.requireNonNull(uri, "uri");
    this.clusterUri = false;
    this.redisSettings++;
    return this;
  }

  /** Like {@link #redisUri(String)} for a Redis Cluster seed node. */
  public TieredCacheBuilder<K, V> redisClusterUri(String uri) {
    this.redisUri = Objects.requireNonNull(uri, "uri");
    this.clusterUri = true;
    this.redisSettings++;
    return this;
  }

  /** The executor for async completions and background refreshes. Default the common pool. */
  public TieredCacheBuilder<K, V> executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /** The time source for L1 expiry, ages and the breaker. Default the system ticker. */
  public TieredCacheBuilder<K, V> ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /** The wall clock for the timestamps stored with L2 values. Default UTC system clock. */
  public TieredCacheBuilder<K, V> clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Receives absorbed faults (stale served, refresh failures, breaker changes). Default none. */
  public TieredCacheBuilder<K, V> listener(CacheEventListener<K> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The loader {@link TieredCache#get(Object)} uses. Default none. */
  public TieredCacheBuilder<K, V> loader(Function<? super K, ? extends @Nullable V> loader) {
    this.loader = Objects.requireNonNull(loader, "loader");
    return this;
  }

  /**
   * Validates the settings and builds the cache; in two-tier mode, connects to Redis.
   *
   * @throws IllegalArgumentException for a bad value (the message names the setting and value):
   *     a negative size or weight; a zero, negative or unrepresentable (over about 292 years)
   *     duration; a tombstone TTL under 1 ms; a jitter outside [0, 1); a non-positive breaker
   *     threshold or value size limit; an empty name
   * @throws IllegalStateException for conflicting or missing settings
   * @throws RedisConnectionException if Redis cannot be reached at build time or refuses the
   *     connection (wrong password or ACL user: the message names the cache and repeats the
   *     server's answer, e.g. {@code WRONGPASS}; the cause is Lettuce's exception)
   */
  public TieredCache<K, V> build() {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: not empty)");
    }
    Long size = maximumSize;
    Long weight = maximumWeight;
    if (size != null && size < 0) {
      throw new IllegalArgumentException("maximumSize: " + size + " (expected: >= 0)");
    }
    if (weight != null && weight < 0) {
      throw new IllegalArgumentException("maximumWeight: " + weight + " (expected: >= 0)");
    }
    if (size != null && weight != null) {
      throw new IllegalStateException("maximumSize and maximumWeight are both set (expected: one)");
    }
    if (weight != null && weigher == null) {
      throw new IllegalStateException("maximumWeight is set without a weigher");
    }
    if (weigher != null && weight == null) {
      throw new IllegalStateException("weigher is set without maximumWeight");
    }
    positive("l1ExpireAfterWrite", l1Ttl);
    positive("l2ExpireAfterWrite", l2Ttl);
    if (!(l2TtlJitter >= 0.0 && l2TtlJitter < 1.0)) {
      throw new IllegalArgumentException("l2TtlJitter: " + l2TtlJitter + " (expected: in [0, 1))");
    }
    if (negativeTtl != null) {
      positive("negativeTtl", negativeTtl);
    }
    if (refreshAfter != null) {
      positive("refreshAfter", refreshAfter);
      if (refreshAfter.compareTo(l1Ttl) >= 0) {
        throw new IllegalStateException(
            "refreshAfter " + refreshAfter + " is not shorter than l1ExpireAfterWrite " + l1Ttl);
      }
    }
    if (staleIfError != null) {
      positive("staleIfError", staleIfError);
    }
    positive("redisTimeout", redisTimeout);
    if (breakerFailureThreshold <= 0) {
      throw new IllegalArgumentException(
          "breakerFailureThreshold: " + breakerFailureThreshold + " (expected: > 0)");
    }
    positive("breakerCoolDown", breakerCoolDown);
    positive("l1TtlWhileDisconnected", l1TtlWhileDisconnected);
    positive("tombstoneTtl", tombstoneTtl);
    if (tombstoneTtl.compareTo(ONE_MILLI) < 0) {
      // It is sent as SET ... PX <millis>: 0 ms would make Redis refuse every invalidation.
      throw new IllegalArgumentException("tombstoneTtl: " + tombstoneTtl + " (expected: >= PT0.001S)");
    }
    if (maximumValueBytes <= 0) {
      throw new IllegalArgumentException("maximumValueBytes: " + maximumValueBytes + " (expected: > 0)");
    }
    if (redisSettings > 1) {
      throw new IllegalStateException("more than one Redis setting (redis, redisCluster, redisUri, redisClusterUri)");
    }
    boolean twoTier = redisSettings == 1;
    if (twoTier && keyCodec == null) {
      throw new IllegalStateException("keyCodec is required in two-tier mode");
    }
    if (twoTier && valueCodec == null) {
      throw new IllegalStateException("valueCodec is required in two-tier mode");
    }
    AbstractRedisClient client = redisClient;
    boolean owns = false;
    String uri = redisUri;
    if (uri != null) {
      RedisURI parsed = RedisURI.create(uri);
      if (clusterUri) {
        RedisClusterClient cluster = RedisClusterClient.create(parsed);
        cluster.setOptions(
            ClusterClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        client = cluster;
      } else {
        RedisClient standalone = RedisClient.create(parsed);
        standalone.setOptions(
            ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        client = standalone;
      }
      owns = true;
    }
    CacheEventListener<K> l = listener != null ? listener : new CacheEventListener<K>() {};
    CacheSettings<K, V> settings =
        new CacheSettings<>(
            name,
            keyPrefix,
            keyCodec,
            valueCodec,
            size != null ? size : weight == null ? DEFAULT_MAXIMUM_SIZE : 0,
            weight != null ? weight : 0,
            weigher,
            l1Ttl.toNanos(),
            l2Ttl.toMillis(),
            l2TtlJitter,
            negativeTtl == null ? 0 : negativeTtl.toNanos(),
            refreshAfter == null ? 0 : refreshAfter.toNanos(),
            staleIfError == null ? 0 : staleIfError.toNanos(),
            redisTimeout.toNanos(),
            breakerFailureThreshold,
            breakerCoolDown.toNanos(),
            l1TtlWhileDisconnected.toNanos(),
            tombstoneTtl.toMillis(),
            maximumValueBytes,
            invalidationMode,
            client,
            owns,
            executor,
            ticker,
            clock,
            l,
            loader);
    try {
      return new DefaultTieredCache<>(settings);
    } catch (RuntimeException e) {
      if (owns && client != null) {
        client.shutdown();
      }
      if (e instanceof RedisConnectionException rce) {
        throw explained(rce);
      }
      throw e;
    }
  }

  /**
   * Lettuce says only "Unable to connect to host:port"; the reason (WRONGPASS, NOAUTH, NOPERM,
   * connection refused, a TLS handshake failure) is in the cause chain. Repeat it in the message,
   * with the cache's name, keeping the type and the cause. The URI (and its password) is not
   * repeated.
   */
  private RedisConnectionException explained(RedisConnectionException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root == e ? "" : ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
    return new RedisConnectionException("cache \"" + name + "\": " + e.getMessage() + reason, e);
  }

  /** A duration the cache can hold in nanoseconds: positive and at most Long.MAX_VALUE ns. */
  private static void positive(String setting, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + ": " + value + " (expected: > 0)");
    }
    if (value.compareTo(MAX_DURATION) > 0) {
      // build() converts to nanoseconds (or milliseconds): without this it would throw
      // ArithmeticException instead of naming the setting.
      throw new IllegalArgumentException(setting + ": " + value + " (expected: <= " + MAX_DURATION + ")");
    }
  }
}
