package io.headroom.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import io.headroom.cache.BreakerState;
import io.headroom.cache.CacheEventListener;
import io.headroom.cache.CacheStats;
import io.headroom.cache.InvalidationMode;
import io.headroom.cache.KeyCodec;
import io.headroom.cache.TieredCache;
import io.headroom.cache.ValueCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation of {@link TieredCache}. Not API: build caches with
 * {@link TieredCache#builder(String)}.
 *
 * <p>Race rule (what makes "no stale value from a race" hold): every invalidation of a key
 * (local put/invalidate, or one received from another instance) first bumps the key's stripe in
 * {@link Generations}, then drops the key's in-flight load and its L1 entry. A local put or
 * invalidate does that both before and after its L2 write, because a load that starts between
 * the two can still read the old L2 value (found by ConcurrentConsistencyIT). A load reads the
 * stripe before it reads L2; after it puts its entry in L1 it reads the stripe again and, if it
 * moved, removes exactly its own entry. Either the re-check sees the bump, or the bump (and so
 * the L1 removal after it) comes after the put. L2 write-backs of loads are compare-and-set
 * against the state the load observed in Redis (see {@link L2Format}), and every put and
 * invalidation writes a new state, so a racing load cannot overwrite it.
 */
public final class DefaultTieredCache<K, V> implements TieredCache<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultTieredCache.class);

  private final CacheSettings<K, V> s;
  private final Cache<K, L1Entry<V>> l1;
  private final Policy.@Nullable VarExpiration<K, L1Entry<V>> varExpiration;
  private final ConcurrentHashMap<K, CompletableFuture<@Nullable V>> inFlight = new ConcurrentHashMap<>();
  private final Generations generations = new Generations();
  private final Counters counters = new Counters();
  private final @Nullable RedisTier redis;
  private final String keyPrefix;
  private final byte[] senderId;
  private final boolean timeChecks;
  private final Ticker ticker;
  private final @Nullable ScheduledExecutorService scheduler;
  private final LogOnce decodeLog = new LogOnce();
  private final LogOnce messageLog = new LogOnce();
  private final LogOnce listenerLog = new LogOnce();
  private final LogOnce encodeLog = new LogOnce();
  private final Object subscriptionLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Read by the Expiry on every L1 write; written on subscription loss/restore.
  private volatile long l1CapNanos = Long.MAX_VALUE;
  private boolean subscriptionLost; // guarded by subscriptionLock
  private boolean subscribedOnce; // guarded by subscriptionLock

  public DefaultTieredCache(CacheSettings<K, V> settings) {
    this.s = settings;
    this.ticker = settings.ticker();
    this.keyPrefix = settings.keyPrefix() + ":" + settings.name() + ":";
    UUID id = UUID.randomUUID();
    this.senderId =
        ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    this.timeChecks = settings.refreshAfterNanos() > 0 || settings.staleIfErrorNanos() > 0;
    Caffeine<Object, Object> b = Caffeine.newBuilder().ticker(ticker).executor(settings.executor());
    var weigher = settings.weigher();
    if (weigher != null) {
      b.maximumWeight(settings.maximumWeight());
    } else {
      b.maximumSize(settings.maximumSize());
    }
    Caffeine<K, L1Entry<V>> typed =
        b.expireAfter(
            new Expiry<K, L1Entry<V>>() {
              @Override
              public long expireAfterCreate(K key, L1Entry<V> e, long now) {
                return Math.min(Math.max(0, e.physicalUntilNanos - now), l1CapNanos);
              }

              @Override
              public long expireAfterUpdate(K key, L1Entry<V> e, long now, long current) {
                return expireAfterCreate(key, e, now);
              }

              @Override
              public long expireAfterRead(K key, L1Entry<V> e, long now, long current) {
                return current;
              }
            });
    if (weigher != null) {
      typed = typed.weigher((K k, L1Entry<V> e) -> e.value == null ? 1 : weigher.applyAsInt(k, e.value));
    }
    this.l1 = typed.build();
    this.varExpiration = l1.policy().expireVariably().orElse(null);
    var client = settings.redisClient();
    if (client != null) {
      boolean subscribe = settings.invalidationMode() == InvalidationMode.PUBSUB;
      boolean tracking = settings.invalidationMode() == InvalidationMode.TRACKING;
      this.redis =
          new RedisTier(
              client,
              settings.ownsClient(),
              keyPrefix + "__invalidations",
              subscribe,
              settings.redisTimeoutNanos(),
              settings.breakerFailureThreshold(),
              settings.breakerCoolDownNanos(),
              ticker,
              counters,
              this::onBreakerChange,
              this::onMessage,
              this::onSubscribed,
              tracking ? keyPrefix : null,
              this::onTrackedKeys,
              this::onChannelLost,
              this::onChannelRestored);
      {
        // Always in two-tier mode: it watches the invalidation channel (if any) and starts the
        // breaker's probe even when no caller reaches L2 (all L1 hits).
        ScheduledExecutorService sch =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "headroom-cache-" + settings.name());
                  t.setDaemon(true);
                  return t;
                });
        long period = Math.max(10_000_000L, Math.min(100_000_000L, settings.l1TtlWhileDisconnectedNanos() / 4));
        var unusedSchedule = sch.scheduleWithFixedDelay(this::housekeeping, period, period, TimeUnit.NANOSECONDS);
        this.scheduler = sch;
      }
    } else {
      this.redis = null;
      this.scheduler = null;
    }
  }

  @Override
  public String name() {
    return s.name();
  }

  // ---------------------------------------------------------------- reads

  @Override
  public @Nullable V get(K key) {
    Function<? super K, ? extends @Nullable V> loader = s.loader();
    if (loader == null) {
      throw new IllegalStateException("no loader: set one on the builder or use get(key, loader)");
    }
    return get(key, loader);
  }

  @Override
  public @Nullable V get(K key, Function<? super K, ? extends @Nullable V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    L1Entry<V> e = l1.getIfPresent(key);
    L1Entry<V> staleL1 = null;
    if (e != null) {
      if (!timeChecks) {
        counters.l1Hits.increment();
        return e.value;
      }
      long now = ticker.read();
      if (now - e.freshUntilNanos < 0) {
        counters.l1Hits.increment();
        maybeRefresh(key, e, now, k -> CompletableFuture.completedFuture(loader.apply(k)));
        return e.value;
      }
      staleL1 = e;
    }
    counters.l1Misses.increment();
    CompletableFuture<@Nullable V> mine = new CompletableFuture<>();
    CompletableFuture<@Nullable V> existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return join(existing);
    }
    // A load that finished between our L1 miss and our putIfAbsent has already filled L1:
    // re-check, or we would load the key a second time.
    L1Entry<V> filled = freshL1(key);
    if (filled != null) {
      inFlight.remove(key, mine);
      mine.complete(filled.value);
      return filled.value;
    }
    try {
      V v = loadSync(key, loader, staleL1);
      inFlight.remove(key, mine);
      mine.complete(v);
      return v;
    } catch (RuntimeException | Error ex) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(ex);
      throw ex;
    }
  }

  /** The L1 entry for key if present and fresh, without counting a hit or a miss. */
  private @Nullable L1Entry<V> freshL1(K key) {
    L1Entry<V> e = l1.asMap().get(key);
    if (e == null) {
      return null;
    }
    if (timeChecks && ticker.read() - e.freshUntilNanos >= 0) {
      return null;
    }
    return e;
  }

  private @Nullable V loadSync(K key, Function<? super K, ? extends @Nullable V> loader, @Nullable L1Entry<V> staleL1) {
    long stamp = generations.stamp(key);
    Lookup<V> lookup = null;
    RedisTier r = redis;
    if (r != null) {
      String rk = redisKey(key);
      lookup = lookup(key, rk, r.getSync(rk), stamp);
      if (lookup.kind == Lookup.HIT) {
        return lookup.value;
      }
    }
    long t0 = ticker.read();
    V v;
    try {
      v = loader.apply(key);
    } catch (RuntimeException ex) {
      counters.loadFailures.increment();
      counters.loadNanos.add(ticker.read() - t0);
      V stale = staleOrNull(key, ex, staleL1, lookup);
      if (stale != null) {
        return stale;
      }
      throw ex;
    }
    counters.loads.increment();
    counters.loadNanos.add(ticker.read() - t0);
    store(key, v, stamp, lookup == null ? null : lookup.expectedState, null);
    return v;
  }

  @Override
  public CompletableFuture<@Nullable V> getAsync(
      K key, Function<? super K, ? extends CompletableFuture<? extends @Nullable V>> asyncLoader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(asyncLoader, "asyncLoader");
    L1Entry<V> e = l1.getIfPresent(key);
    L1Entry<V> staleL1 = null;
    if (e != null) {
      if (!timeChecks) {
        counters.l1Hits.increment();
        return CompletableFuture.completedFuture(e.value);
      }
      long now = ticker.read();
      if (now - e.freshUntilNanos < 0) {
        counters.l1Hits.increment();
        maybeRefresh(key, e, now, asyncLoader);
        return CompletableFuture.completedFuture(e.value);
      }
      staleL1 = e;
    }
    counters.l1Misses.increment();
    CompletableFuture<@Nullable V> mine = new CompletableFuture<>();
    CompletableFuture<@Nullable V> existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return existing.copy();
    }
    L1Entry<V> filled = freshL1(key);
    if (filled != null) {
      inFlight.remove(key, mine);
      mine.complete(filled.value);
      return CompletableFuture.completedFuture(filled.value);
    }
    long stamp = generations.stamp(key);
    RedisTier r = redis;
    String rk = r == null ? "" : redisKey(key);
    CompletableFuture<byte @Nullable []> read =
        r == null ? CompletableFuture.completedFuture(RedisTier.UNAVAILABLE) : r.getAsync(rk);
    final L1Entry<V> stale = staleL1;
    CompletableFuture<@Nullable V> result;
    try {
      result =
          read.thenComposeAsync(
              stored -> {
                Lookup<V> lookup = r == null ? null : lookup(key, rk, stored, stamp);
                if (lookup != null && lookup.kind == Lookup.HIT) {
                  return CompletableFuture.completedFuture(lookup.value);
                }
                return loadAsync(key, asyncLoader, stamp, stale, lookup);
              },
              s.executor());
    } catch (RejectedExecutionException ex) {
      result = CompletableFuture.failedFuture(ex);
    }
    var unusedCompletion = result.whenComplete(
        (v, ex) -> {
          inFlight.remove(key, mine);
          Runnable complete =
              () -> {
                if (ex != null) {
                  mine.completeExceptionally(unwrap(ex));
                } else {
                  mine.complete(v);
                }
              };
          try {
            s.executor().execute(complete); // callers' dependents never run on Lettuce's threads
          } catch (RejectedExecutionException rejected) {
            complete.run();
          }
        });
    return mine.copy();
  }

  private CompletableFuture<@Nullable V> loadAsync(
      K key,
      Function<? super K, ? extends CompletableFuture<? extends @Nullable V>> asyncLoader,
      long stamp,
      @Nullable L1Entry<V> staleL1,
      @Nullable Lookup<V> lookup) {
    long t0 = ticker.read();
    CompletableFuture<? extends @Nullable V> lf;
    try {
      lf = Objects.requireNonNull(asyncLoader.apply(key), "asyncLoader returned null");
    } catch (RuntimeException ex) {
      lf = CompletableFuture.failedFuture(ex);
    }
    return lf.handle(
        (v, ex) -> {
          counters.loadNanos.add(ticker.read() - t0);
          if (ex != null) {
            counters.loadFailures.increment();
            Throwable cause = unwrap(ex);
            V stale = staleOrNull(key, cause, staleL1, lookup);
            if (stale != null) {
              return stale;
            }
            throw cause instanceof CompletionException ce ? ce : new CompletionException(cause);
          }
          counters.loads.increment();
          store(key, v, stamp, lookup == null ? null : lookup.expectedState, null);
          return v;
        });
  }

  @Override
  public @Nullable V getIfPresent(K key) {
    Objects.requireNonNull(key, "key");
    L1Entry<V> e = l1.getIfPresent(key);
    if (e != null && (!timeChecks || ticker.read() - e.freshUntilNanos < 0)) {
      counters.l1Hits.increment();
      return e.value;
    }
    counters.l1Misses.increment();
    RedisTier r = redis;
    if (r == null) {
      return null;
    }
    long stamp = generations.stamp(key);
    String rk = redisKey(key);
    Lookup<V> lookup = lookup(key, rk, r.getSync(rk), stamp);
    return lookup.kind == Lookup.HIT ? lookup.value : null;
  }

  @Override
  public Map<K, V> getAll(
      Collection<? extends K> keys,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(bulkLoader, "bulkLoader");
    Map<K, V> result = new LinkedHashMap<>();
    List<K> misses = new ArrayList<>();
    Map<K, L1Entry<V>> staleL1 = new LinkedHashMap<>();
    for (K key : new LinkedHashSet<K>(keys)) {
      Objects.requireNonNull(key, "keys contains null");
      L1Entry<V> e = l1.getIfPresent(key);
      if (e != null && (!timeChecks || ticker.read() - e.freshUntilNanos < 0)) {
        counters.l1Hits.increment();
        if (e.value != null) {
          result.put(key, e.value);
        }
        continue;
      }
      if (e != null) {
        staleL1.put(key, e);
      }
      counters.l1Misses.increment();
      misses.add(key);
    }
    if (misses.isEmpty()) {
      return result;
    }
    long[] stamps = new long[misses.size()];
    for (int i = 0; i < stamps.length; i++) {
      stamps[i] = generations.stamp(misses.get(i));
    }
    Map<K, Integer> toLoad = new LinkedHashMap<>();
    Map<K, Lookup<V>> lookups = new LinkedHashMap<>();
    RedisTier r = redis;
    if (r != null) {
      List<String> redisKeys = new ArrayList<>(misses.size());
      for (K k : misses) {
        redisKeys.add(redisKey(k));
      }
      List<byte @Nullable []> stored = r.mgetSync(redisKeys);
      for (int i = 0; i < misses.size(); i++) {
        K k = misses.get(i);
        Lookup<V> lookup = lookup(k, redisKeys.get(i), stored == null ? RedisTier.UNAVAILABLE : stored.get(i), stamps[i]);
        if (lookup.kind == Lookup.HIT) {
          V v = lookup.value;
          if (v != null) {
            result.put(k, v);
          }
        } else {
          lookups.put(k, lookup);
          toLoad.put(k, i);
        }
      }
    } else {
      for (int i = 0; i < misses.size(); i++) {
        toLoad.put(misses.get(i), i);
      }
    }
    if (toLoad.isEmpty()) {
      return result;
    }
    long t0 = ticker.read();
    Map<? extends K, ? extends V> loaded;
    try {
      loaded = Objects.requireNonNull(bulkLoader.apply(Collections.unmodifiableSet(toLoad.keySet())), "bulkLoader returned null");
    } catch (RuntimeException ex) {
      counters.loadFailures.increment();
      counters.loadNanos.add(ticker.read() - t0);
      Map<K, V> stale = new LinkedHashMap<>();
      for (K k : toLoad.keySet()) {
        V v = staleOrNull(k, ex, staleL1.get(k), lookups.get(k));
        if (v == null) {
          throw ex;
        }
        stale.put(k, v);
      }
      result.putAll(stale);
      return result;
    }
    counters.loads.increment();
    counters.loadNanos.add(ticker.read() - t0);
    List<RedisTier.CasWrite> writes = new ArrayList<>();
    for (Map.Entry<K, Integer> en : toLoad.entrySet()) {
      K k = en.getKey();
      V v = loaded.get(k);
      if (v != null) {
        result.put(k, v);
      }
      Lookup<V> lookup = lookups.get(k);
      store(k, v, stamps[en.getValue()], lookup == null ? null : lookup.expectedState, writes);
    }
    if (r != null) {
      r.casWrites(writes);
    }
    return result;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    generations.bump(key);
    inFlight.remove(key);
    long now = ticker.read();
    RedisTier r = redis;
    if (r == null) {
      l1.put(key, new L1Entry<>(value, 0, now, now + s.l1TtlNanos(), now + s.l1TtlNanos() + s.staleIfErrorNanos()));
      return;
    }
    byte[] payload = encodeOrNull(key, value);
    if (payload == null) { // not cacheable (too large, or the codec failed): invalidate instead
      l1.invalidate(key);
      writeTombstonesAndPublish(r, List.of(key));
      invalidateLocal(key);
      return;
    }
    long version = L2Format.newVersion();
    L1Entry<V> entry =
        new L1Entry<>(value, version, now, now + s.l1TtlNanos(), now + s.l1TtlNanos() + s.staleIfErrorNanos());
    l1.put(key, entry);
    long nowMillis = s.clock().millis();
    long ttl = jitteredL2Ttl();
    byte[] stored = L2Format.value(version, nowMillis, nowMillis + ttl, payload);
    byte[] message = messageFor(List.of(key));
    if (r.setAllAndPublish(List.of(redisKey(key)), List.of(stored), List.of(ttl + staleMillis()), message)
        && s.invalidationMode() != InvalidationMode.NONE) {
      counters.invalidationsSent.increment(); // TRACKING: the write itself is the announcement
    }
    // A load that started after the first bump but read L2 before the SET landed may have put
    // the old L2 value in L1: bump again (its re-check then removes it) and restore ours.
    generations.bump(key);
    inFlight.remove(key);
    l1.put(key, entry);
  }

  @Override
  public void invalidate(K key) {
    Objects.requireNonNull(key, "key");
    invalidateAll(List.of(key));
  }

  @Override
  public void invalidateAll(Collection<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    List<K> list = new ArrayList<>(keys.size());
    for (K k : keys) {
      list.add(Objects.requireNonNull(k, "keys contains null"));
    }
    for (K k : list) {
      invalidateLocal(k);
    }
    RedisTier r = redis;
    if (r != null && !list.isEmpty()) {
      writeTombstonesAndPublish(r, list);
      // A load that started after the first bump but read L2 before the tombstone landed saw
      // the old value: invalidate again so that it cannot stay in L1.
      for (K k : list) {
        invalidateLocal(k);
      }
    }
  }

  private void writeTombstonesAndPublish(RedisTier r, List<K> keys) {
    List<String> redisKeys = new ArrayList<>(keys.size());
    List<byte[]> tombstones = new ArrayList<>(keys.size());
    List<Long> ttls = new ArrayList<>(keys.size());
    for (K k : keys) {
      redisKeys.add(redisKey(k));
      tombstones.add(L2Format.tombstone());
      ttls.add(s.tombstoneTtlMillis());
    }
    byte[] message = messageFor(keys);
    if (r.setAllAndPublish(redisKeys, tombstones, ttls, message) && s.invalidationMode() != InvalidationMode.NONE) {
      counters.invalidationsSent.add(keys.size());
    }
  }

  private byte @Nullable [] messageFor(List<K> keys) {
    KeyCodec<K> kc = s.keyCodec();
    if (s.invalidationMode() != InvalidationMode.PUBSUB || kc == null) {
      return null;
    }
    List<String> encoded = new ArrayList<>(keys.size());
    for (K k : keys) {
      encoded.add(kc.encode(k));
    }
    return InvalidationMessage.encode(senderId, encoded);
  }

  /** Drops a key from this instance: bump first, then in-flight and L1 (see the class doc). */
  private void invalidateLocal(K key) {
    generations.bump(key);
    inFlight.remove(key);
    l1.invalidate(key);
  }

  // ---------------------------------------------------------------- helpers

  /** What a read of L2 found. */
  private static final class Lookup<V> {
    static final int HIT = 0;
    static final int MISS = 1;
    final int kind;
    final @Nullable V value;
    /** The state the CAS write-back must find; null when L2 was unavailable (skip the write). */
    final byte @Nullable [] expectedState;
    final @Nullable V staleValue;
    final long staleExpiredAtMillis;

    Lookup(int kind, @Nullable V value, byte @Nullable [] expectedState, @Nullable V staleValue, long staleExpiredAtMillis) {
      this.kind = kind;
      this.value = value;
      this.expectedState = expectedState;
      this.staleValue = staleValue;
      this.staleExpiredAtMillis = staleExpiredAtMillis;
    }
  }

  private Lookup<V> lookup(K key, String rk, byte @Nullable [] stored, long stamp) {
    if (stored == RedisTier.UNAVAILABLE) {
      counters.l2Misses.increment();
      return new Lookup<>(Lookup.MISS, null, null, null, 0);
    }
    if (stored == null) {
      counters.l2Misses.increment();
      return new Lookup<>(Lookup.MISS, null, L2Format.NO_KEY, null, 0);
    }
    L2Format.Parsed p;
    V value = null;
    try {
      p = L2Format.parse(stored);
      if (p.type == L2Format.VALUE) {
        value = Objects.requireNonNull(Objects.requireNonNull(s.valueCodec()).decode(p.payload()), "codec decoded null");
      }
    } catch (RuntimeException ex) {
      counters.decodeFailures.increment();
      counters.l2Misses.increment();
      decodeLog.log(LOG, "cache " + s.name() + ": undecodable Redis entry " + rk + " deleted", ex);
      notifyListener(l -> l.onDecodeFailure(key, ex));
      Objects.requireNonNull(redis).deleteAsync(rk);
      return new Lookup<>(Lookup.MISS, null, L2Format.NO_KEY, null, 0);
    }
    long nowMillis = s.clock().millis();
    byte[] state = L2Format.stateId(stored);
    if (p.type == L2Format.TOMBSTONE) {
      counters.l2Misses.increment();
      return new Lookup<>(Lookup.MISS, null, state, null, 0);
    }
    boolean fresh = nowMillis < p.expiresAt;
    if (p.type == L2Format.ABSENT) {
      if (fresh && s.negativeTtlNanos() > 0) {
        counters.l2Hits.increment();
        long now = ticker.read();
        long until = now + Math.min(s.negativeTtlNanos(), TimeUnit.MILLISECONDS.toNanos(p.expiresAt - nowMillis));
        putL1IfCurrent(key, new L1Entry<>(null, p.version, now, until, until), stamp);
        return new Lookup<>(Lookup.HIT, null, state, null, 0);
      }
      counters.l2Misses.increment();
      return new Lookup<>(Lookup.MISS, null, state, null, 0);
    }
    if (!fresh) {
      counters.l2Misses.increment();
      return new Lookup<>(Lookup.MISS, null, state, value, p.expiresAt);
    }
    counters.l2Hits.increment();
    long now = ticker.read();
    long loadedAt = now - TimeUnit.MILLISECONDS.toNanos(Math.max(0, nowMillis - p.writtenAt));
    L1Entry<V> entry =
        new L1Entry<>(value, p.version, loadedAt, now + s.l1TtlNanos(), now + s.l1TtlNanos() + s.staleIfErrorNanos());
    putL1IfCurrent(key, entry, stamp);
    return new Lookup<>(Lookup.HIT, value, state, null, 0);
  }

  /** Fills L1 only if no invalidation of the key happened since {@code stamp}. */
  private void putL1IfCurrent(K key, L1Entry<V> entry, long stamp) {
    if (!generations.isCurrent(key, stamp)) {
      counters.racedLoadsDiscarded.increment();
      return;
    }
    l1.put(key, entry);
    if (!generations.isCurrent(key, stamp)) {
      l1.asMap().remove(key, entry);
      counters.racedLoadsDiscarded.increment();
    }
  }

  /**
   * Caches a loaded value (or "absent") in L1 and, compare-and-set against
   * {@code expectedState}, in L2. With {@code batch}, L2 writes are collected, not sent.
   */
  private void store(
      K key, @Nullable V v, long stamp, byte @Nullable [] expectedState, @Nullable List<RedisTier.CasWrite> batch) {
    long now = ticker.read();
    RedisTier r = redis;
    long version = L2Format.newVersion();
    byte[] l2Bytes = null;
    long px = 0;
    if (v == null) {
      if (s.negativeTtlNanos() == 0) {
        return;
      }
      putL1IfCurrent(key, new L1Entry<>(null, version, now, now + s.negativeTtlNanos(), now + s.negativeTtlNanos()), stamp);
      if (r != null) {
        long nowMillis = s.clock().millis();
        px = Math.max(1, TimeUnit.NANOSECONDS.toMillis(s.negativeTtlNanos()));
        l2Bytes = L2Format.absent(version, nowMillis, nowMillis + px);
      }
    } else {
      if (r != null) {
        byte[] payload = encodeOrNull(key, v);
        if (payload == null) {
          return;
        }
        long nowMillis = s.clock().millis();
        long ttl = jitteredL2Ttl();
        l2Bytes = L2Format.value(version, nowMillis, nowMillis + ttl, payload);
        px = ttl + staleMillis();
      }
      putL1IfCurrent(
          key, new L1Entry<>(v, version, now, now + s.l1TtlNanos(), now + s.l1TtlNanos() + s.staleIfErrorNanos()), stamp);
    }
    if (r == null || l2Bytes == null) {
      return;
    }
    if (expectedState == null || !generations.isCurrent(key, stamp)) {
      counters.l2WritesSkipped.increment(); // L2 was unavailable, or an invalidation raced
      return;
    }
    RedisTier.CasWrite w = new RedisTier.CasWrite(redisKey(key), expectedState, l2Bytes, px);
    if (batch != null) {
      batch.add(w);
    } else {
      r.casWrites(List.of(w));
    }
  }

  private byte @Nullable [] encodeOrNull(K key, V value) {
    byte[] payload;
    try {
      payload = Objects.requireNonNull(s.valueCodec()).encode(value);
    } catch (RuntimeException ex) {
      counters.l2WritesSkipped.increment();
      encodeLog.log(LOG, "cache " + s.name() + ": value of key " + key + " could not be encoded; not cached", ex);
      return null;
    }
    if (payload.length > s.maximumValueBytes()) {
      counters.valuesTooLarge.increment();
      return null;
    }
    return payload;
  }

  private @Nullable V staleOrNull(K key, Throwable failure, @Nullable L1Entry<V> staleL1, @Nullable Lookup<V> lookup) {
    long bound = s.staleIfErrorNanos();
    if (bound == 0) {
      return null;
    }
    long staleness = -1;
    V value = null;
    if (staleL1 != null && staleL1.value != null) {
      long age = ticker.read() - staleL1.freshUntilNanos;
      if (age <= bound) {
        staleness = Math.max(0, age);
        value = staleL1.value;
      }
    }
    if (value == null && lookup != null && lookup.staleValue != null) {
      long age = TimeUnit.MILLISECONDS.toNanos(s.clock().millis() - lookup.staleExpiredAtMillis);
      if (age <= bound) {
        staleness = Math.max(0, age);
        value = lookup.staleValue;
      }
    }
    if (value == null) {
      return null;
    }
    counters.staleServed.increment();
    Duration d = Duration.ofNanos(staleness);
    notifyListener(l -> l.onStaleServed(key, d, failure));
    return value;
  }

  private void maybeRefresh(
      K key,
      L1Entry<V> e,
      long now,
      Function<? super K, ? extends CompletableFuture<? extends @Nullable V>> loader) {
    if (s.refreshAfterNanos() == 0 || e.value == null || now - e.loadedAtNanos < s.refreshAfterNanos()) {
      return;
    }
    CompletableFuture<@Nullable V> mine = new CompletableFuture<>();
    if (inFlight.putIfAbsent(key, mine) != null) {
      return; // a load or refresh of this key is already running
    }
    long stamp = generations.stamp(key);
    V old = e.value;
    byte[] expected = redis == null ? null : (e.version == 0 ? null : L2Format.stateIdOf(L2Format.VALUE, e.version));
    Runnable task =
        () -> {
          long t0 = ticker.read();
          CompletableFuture<? extends @Nullable V> lf;
          try {
            lf = Objects.requireNonNull(loader.apply(key), "loader returned null");
          } catch (RuntimeException ex) {
            lf = CompletableFuture.failedFuture(ex);
          }
          var unusedRefresh = lf.whenComplete(
              (v, ex) -> {
                counters.loadNanos.add(ticker.read() - t0);
                V result = old;
                if (ex != null) {
                  counters.loadFailures.increment();
                  counters.refreshFailures.increment();
                  Throwable cause = unwrap(ex);
                  notifyListener(l -> l.onRefreshFailure(key, cause));
                } else {
                  counters.loads.increment();
                  counters.refreshes.increment();
                  store(key, v, stamp, expected, null);
                  result = v;
                }
                inFlight.remove(key, mine);
                mine.complete(result);
              });
        };
    try {
      s.executor().execute(task);
    } catch (RejectedExecutionException ex) {
      inFlight.remove(key, mine);
      mine.complete(old);
    }
  }

  private long jitteredL2Ttl() {
    long ttl = s.l2TtlMillis();
    double jitter = s.l2TtlJitter();
    if (jitter > 0) {
      ttl = (long) (ttl * (1.0 - jitter * ThreadLocalRandom.current().nextDouble()));
    }
    return Math.max(1, ttl);
  }

  private long staleMillis() {
    return TimeUnit.NANOSECONDS.toMillis(s.staleIfErrorNanos());
  }

  private String redisKey(K key) {
    return keyPrefix + Objects.requireNonNull(s.keyCodec()).encode(key);
  }

  private @Nullable V join(CompletableFuture<@Nullable V> f) {
    try {
      return f.join();
    } catch (CompletionException ex) {
      Throwable cause = unwrap(ex);
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw ex;
    }
  }

  private static Throwable unwrap(Throwable ex) {
    Throwable t = ex;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private void notifyListener(java.util.function.Consumer<CacheEventListener<K>> call) {
    try {
      call.accept(s.listener());
    } catch (RuntimeException ex) {
      listenerLog.log(LOG, "cache " + s.name() + ": listener threw", ex);
    }
  }

  // ---------------------------------------------------------------- Redis events

  private void onMessage(byte[] message) {
    if (InvalidationMessage.isFrom(message, senderId)) {
      return;
    }
    KeyCodec<K> kc = Objects.requireNonNull(s.keyCodec());
    try {
      for (String text : InvalidationMessage.keys(message)) {
        invalidateLocal(kc.decode(text));
        counters.invalidationsReceived.increment();
      }
    } catch (RuntimeException ex) {
      messageLog.log(LOG, "cache " + s.name() + ": unreadable invalidation message ignored", ex);
    }
  }

  private void onSubscribed() {
    synchronized (subscriptionLock) {
      if (!subscribedOnce) {
        subscribedOnce = true;
        return;
      }
    }
    // A later SUBSCRIBE confirmation is Lettuce re-subscribing after a reconnect: messages sent
    // meanwhile are lost, so nothing in L1 can be trusted.
    onChannelRestored();
  }

  /** Client tracking told us about writes under our prefix (null: Redis flushed its table). */
  private void onTrackedKeys(@Nullable List<String> redisKeys) {
    if (redisKeys == null) {
      generations.bumpAll();
      inFlight.clear();
      l1.invalidateAll();
      return;
    }
    KeyCodec<K> kc = Objects.requireNonNull(s.keyCodec());
    for (String rk : redisKeys) {
      if (!rk.startsWith(keyPrefix)) {
        continue;
      }
      try {
        invalidateLocal(kc.decode(rk.substring(keyPrefix.length())));
        counters.invalidationsReceived.increment();
      } catch (RuntimeException ex) {
        messageLog.log(LOG, "cache " + s.name() + ": tracked key " + rk + " could not be decoded; L1 cleared", ex);
        generations.bumpAll();
        l1.invalidateAll();
      }
    }
  }

  /** The invalidation channel is back: clear L1 (announcements were missed) and lift the cap. */
  private void onChannelRestored() {
    boolean wasLost;
    synchronized (subscriptionLock) {
      generations.bumpAll();
      inFlight.clear();
      l1.invalidateAll();
      l1CapNanos = Long.MAX_VALUE;
      wasLost = subscriptionLost;
      subscriptionLost = false;
    }
    LOG.info("cache {}: invalidation channel restored; L1 cleared", s.name());
    if (wasLost) {
      notifyListener(l -> l.onInvalidationChannel(false));
    }
  }

  private void housekeeping() {
    RedisTier r = redis;
    if (r == null || closed.get()) {
      return;
    }
    r.breaker().allowRequest(); // starts the probe once the cool-down is over
    if (s.invalidationMode() != InvalidationMode.NONE && !r.subscriptionOpen()) {
      onChannelLost();
    }
  }

  /** The invalidation channel is down: cap L1 lifetimes (existing and new entries). */
  private void onChannelLost() {
    synchronized (subscriptionLock) {
      if (subscriptionLost || closed.get()) {
        return;
      }
      subscriptionLost = true;
      long cap = s.l1TtlWhileDisconnectedNanos();
      l1CapNanos = cap;
      Policy.VarExpiration<K, L1Entry<V>> ve = varExpiration;
      if (ve != null) {
        for (K k : l1.asMap().keySet()) {
          OptionalLong left = ve.getExpiresAfter(k, TimeUnit.NANOSECONDS);
          if (left.isPresent() && left.getAsLong() > cap) {
            ve.setExpiresAfter(k, cap, TimeUnit.NANOSECONDS);
          }
        }
      }
    }
    counters.subscriptionLosses.increment();
    LOG.warn(
        "cache {}: invalidation channel lost; L1 lifetimes capped to {} until it is back",
        s.name(), Duration.ofNanos(s.l1TtlWhileDisconnectedNanos()));
    notifyListener(l -> l.onInvalidationChannel(true));
  }

  private void onBreakerChange(BreakerState from, BreakerState to) {
    if (to == BreakerState.OPEN && from == BreakerState.CLOSED) {
      LOG.warn(
          "cache {}: Redis failing ({} errors, {} timeouts so far); bypassing L2 for {}",
          s.name(), counters.l2Errors.sum(), counters.l2Timeouts.sum(), Duration.ofNanos(s.breakerCoolDownNanos()));
    } else if (to == BreakerState.CLOSED) {
      LOG.info("cache {}: Redis is back; L2 in use again ({} calls bypassed so far)", s.name(), counters.l2Bypassed.sum());
    } else {
      LOG.debug("cache {}: breaker {} -> {}", s.name(), from, to);
    }
    notifyListener(l -> l.onBreakerStateChange(from, to));
  }

  // ---------------------------------------------------------------- stats & lifecycle

  @Override
  public CacheStats stats() {
    var eviction = l1.policy().eviction();
    long size = l1.estimatedSize();
    long weighted = eviction.flatMap(ev -> {
      OptionalLong w = ev.weightedSize();
      return w.isPresent() ? java.util.Optional.of(w.getAsLong()) : java.util.Optional.<Long>empty();
    }).orElse(size);
    long capacity = eviction.map(ev -> ev.getMaximum()).orElse(0L);
    RedisTier r = redis;
    return new CacheStats(
        counters.l1Hits.sum(),
        counters.l1Misses.sum(),
        counters.l2Hits.sum(),
        counters.l2Misses.sum(),
        counters.loads.sum(),
        counters.loadFailures.sum(),
        counters.loadNanos.sum(),
        counters.l2Errors.sum(),
        counters.l2Timeouts.sum(),
        counters.l2Bypassed.sum(),
        counters.l2WritesSkipped.sum(),
        counters.valuesTooLarge.sum(),
        counters.decodeFailures.sum(),
        r == null ? BreakerState.CLOSED : r.breaker().state(),
        r == null ? 0 : r.breaker().openings(),
        counters.invalidationsSent.sum(),
        counters.invalidationsReceived.sum(),
        counters.racedLoadsDiscarded.sum(),
        counters.staleServed.sum(),
        counters.refreshes.sum(),
        counters.refreshFailures.sum(),
        counters.subscriptionLosses.sum(),
        size,
        weighted,
        capacity);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledExecutorService sch = scheduler;
    if (sch != null) {
      sch.shutdownNow();
    }
    RedisTier r = redis;
    if (r != null) {
      r.close();
    }
  }

  @Override
  public String toString() {
    return "TieredCache[" + s.name() + (redis == null ? ", local-only]" : ", two-tier]");
  }
}
