package io.headroom.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.headroom.cache.BreakerState;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import java.net.SocketAddress;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis tier: one shared multiplexed data connection and one pub/sub connection, every call
 * bounded by the timeout and guarded by the breaker. Failures never escape: reads answer
 * {@link #UNAVAILABLE}, writes are counted as skipped. Thread-safe; not API.
 */
final class RedisTier {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);
  static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** The answer of a read that could not reach Redis (compared by identity). */
  static final byte[] UNAVAILABLE = new byte[0];

  /**
   * Compare-and-set write: SET KEYS[1] ARGV[2] PX ARGV[3] only if the key is absent and ARGV[1]
   * is empty, or the key's first 9 bytes (type and version) equal ARGV[1].
   */
  static final String CAS_SCRIPT =
      "local c = redis.call('GET', KEYS[1]) "
          + "if (c == false and ARGV[1] == '') or (c ~= false and ARGV[1] ~= '' and string.sub(c, 1, 9) == ARGV[1]) then "
          + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

  /** A compare-and-set write of a loaded value. */
  static final class CasWrite {
    final String key;
    final byte[] expectedState;
    final byte[] value;
    final long pxMillis;

    CasWrite(String key, byte[] expectedState, byte[] value, long pxMillis) {
      this.key = key;
      this.expectedState = expectedState;
      this.value = value;
      this.pxMillis = pxMillis;
    }
  }

  private final AbstractRedisClient client;
  private final boolean cluster;
  private final boolean ownsClient;
  private final StatefulConnection<String, byte[]> connection;
  private final RedisStringAsyncCommands<String, byte[]> strings;
  private final RedisKeyAsyncCommands<String, byte[]> keys;
  private final BaseRedisAsyncCommands<String, byte[]> base;
  private final @Nullable StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private final String channel;
  private final long timeoutNanos;
  private final Counters counters;
  private final L2Breaker breaker;
  private final LogOnce errorLog = new LogOnce();
  private final @Nullable StatefulRedisConnection<String, byte[]> trackingConnection;
  private final @Nullable RedisConnectionStateListener stateListener;

  RedisTier(
      AbstractRedisClient client,
      boolean ownsClient,
      String channel,
      boolean subscribe,
      long timeoutNanos,
      int breakerThreshold,
      long breakerCoolDownNanos,
      Ticker ticker,
      Counters counters,
      BiConsumer<BreakerState, BreakerState> onBreakerChange,
      Consumer<byte[]> onMessage,
      Runnable onSubscribed,
      @Nullable String trackingPrefix,
      Consumer<@Nullable List<String>> onTrackedKeys,
      Runnable onTrackingLost,
      Runnable onTrackingRestored) {
    this.client = client;
    this.cluster = client instanceof RedisClusterClient;
    this.ownsClient = ownsClient;
    this.channel = channel;
    this.timeoutNanos = timeoutNanos;
    this.counters = counters;
    this.breaker = new L2Breaker(breakerThreshold, breakerCoolDownNanos, ticker, onBreakerChange);
    this.breaker.setProbe(this::probe);
    StatefulRedisPubSubConnection<byte[], byte[]> ps = null;
    StatefulRedisConnection<String, byte[]> trackingConnection = null;
    if (trackingPrefix != null && !(client instanceof RedisClient)) {
      throw new IllegalStateException("invalidationMode TRACKING needs a standalone RedisClient (not a cluster client)");
    }
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
      this.connection = c;
      this.strings = c.async();
      this.keys = c.async();
      this.base = c.async();
      if (subscribe) {
        ps = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
      }
    } else {
      StatefulRedisConnection<String, byte[]> c = ((RedisClient) client).connect(CODEC);
      this.connection = c;
      if (trackingPrefix != null) {
        trackingConnection = c;
      }
      this.strings = c.async();
      this.keys = c.async();
      this.base = c.async();
      if (subscribe) {
        ps = ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
      }
    }
    this.pubsub = ps;
    this.trackingConnection = trackingConnection;
    if (trackingConnection != null && trackingPrefix != null) {
      StatefulRedisConnection<String, byte[]> tc = trackingConnection;
      tc.addListener(
          (PushListener)
              message -> {
                if ("invalidate".equals(message.getType())) {
                  onTrackedKeys.accept(withoutOwnWrites(trackedKeys(message)));
                }
              });
      RedisConnectionStateListener stateListener =
          new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
              if (handler == tc) {
                // Tracking state is per connection: a reconnected connection tracks nothing until
                // CLIENT TRACKING is sent again; what changed meanwhile was not announced.
                var unused =
                    enableTracking(tc, trackingPrefix)
                        .whenComplete((ok, ex) -> {
                          if (ex == null) {
                            clearOwnWrites();
                            onTrackingRestored.run();
                          } else {
                            errorLog.log(LOG, "could not re-enable CLIENT TRACKING on " + channel, ex);
                          }
                        });
              }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
              if (handler == tc) {
                onTrackingLost.run();
              }
            }
          };
      client.addListener(stateListener);
      this.stateListener = stateListener;
      try {
        enableTracking(tc, trackingPrefix).get(Math.max(timeoutNanos, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while enabling CLIENT TRACKING", e);
      } catch (ExecutionException | TimeoutException e) {
        close();
        throw new IllegalStateException("could not enable CLIENT TRACKING (it needs Redis 6+ and RESP3)", e);
      }
    } else {
      this.stateListener = null;
    }
    if (ps != null) {
      byte[] channelBytes = channel.getBytes(StandardCharsets.UTF_8);
      ps.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] ch, byte[] message) {
              if (Arrays.equals(ch, channelBytes)) {
                onMessage.accept(message);
              }
            }

            @Override
            public void subscribed(byte[] ch, long count) {
              if (Arrays.equals(ch, channelBytes)) {
                onSubscribed.run();
              }
            }
          });
      try {
        ps.async().subscribe(channelBytes).get(Math.max(timeoutNanos, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while subscribing to " + channel, e);
      } catch (ExecutionException | TimeoutException e) {
        close();
        throw new IllegalStateException("could not subscribe to " + channel, e);
      }
    }
  }

  private static CompletableFuture<String> enableTracking(StatefulRedisConnection<String, byte[]> c, String prefix) {
    // BCAST + PREFIX: told about every write under the cache's prefix, by anyone. Not NOLOOP:
    // Redis 7.0 does not apply NOLOOP to writes made inside scripts (the CAS write-back), so
    // this instance's own writes are recognised by OwnWrites instead, the same on every version.
    return c.async().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefix)).toCompletableFuture();
  }

  /**
   * Own writes in TRACKING mode: each write this instance makes is marked before it is sent and
   * unmarked if it fails, times out or (a CAS) does not write; the notification Redis sends for
   * a marked key consumes the mark instead of invalidating. If a foreign write's notification
   * consumes the mark first, the own one that follows invalidates: always the safe direction.
   */
  private final ConcurrentHashMap<String, Integer> ownWrites = new ConcurrentHashMap<>();

  private void markOwn(String key) {
    if (trackingConnection != null) {
      ownWrites.merge(key, 1, Integer::sum);
    }
  }

  private void unmarkOwn(String key) {
    if (trackingConnection != null) {
      ownWrites.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private @Nullable List<String> withoutOwnWrites(@Nullable List<String> keys) {
    if (keys == null) {
      ownWrites.clear();
      return null;
    }
    List<String> foreign = new ArrayList<>(keys.size());
    for (String k : keys) {
      boolean[] own = new boolean[1];
      ownWrites.computeIfPresent(k, (x, n) -> {
        own[0] = true;
        return n <= 1 ? null : n - 1;
      });
      if (!own[0]) {
        foreign.add(k);
      }
    }
    return foreign;
  }

  /** Forgets own-write marks (after a reconnect: their notifications will never come). */
  void clearOwnWrites() {
    ownWrites.clear();
  }

  /** The keys of an {@code invalidate} push message; null means "flush everything". */
  private static @Nullable List<String> trackedKeys(PushMessage message) {
    List<Object> content = message.getContent(b -> StandardCharsets.UTF_8.decode(b).toString());
    if (content.size() < 2 || !(content.get(1) instanceof List<?> list)) {
      return null;
    }
    List<String> keys = new ArrayList<>(list.size());
    for (Object o : list) {
      keys.add(String.valueOf(o));
    }
    return keys;
  }

  L2Breaker breaker() {
    return breaker;
  }

  /** Whether the invalidation subscription's connection is open (true without one). */
  boolean subscriptionOpen() {
    StatefulRedisPubSubConnection<byte[], byte[]> ps = pubsub;
    StatefulRedisConnection<String, byte[]> tc = trackingConnection;
    return (ps == null || ps.isOpen()) && (tc == null || tc.isOpen());
  }

  private void probe() {
    RedisFuture<String> ping;
    try {
      ping = base.ping();
    } catch (RuntimeException e) { // e.g. rejected while disconnected: the breaker must not stay half-open
      breaker.onProbeResult(false);
      return;
    }
    var unused = ping.toCompletableFuture()
        .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
        .whenComplete((pong, ex) -> breaker.onProbeResult(ex == null));
  }

  private void failed(Throwable ex) {
    Throwable cause = ex;
    while (cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException) {
      Throwable c = cause.getCause();
      if (c == null) {
        break;
      }
      cause = c;
    }
    if (cause instanceof TimeoutException || cause instanceof io.lettuce.core.RedisCommandTimeoutException) {
      counters.l2Timeouts.increment();
    } else {
      counters.l2Errors.increment();
      errorLog.log(LOG, "Redis call failed on " + channel, cause);
    }
    breaker.onFailure();
  }

  /** GET with timeout; blocks at most the timeout. Null if absent, UNAVAILABLE on failure. */
  byte @Nullable [] getSync(String key) {
    if (!breaker.allowRequest()) {
      counters.l2Bypassed.increment();
      return UNAVAILABLE;
    }
    RedisFuture<byte[]> f;
    try {
      f = strings.get(key);
    } catch (RuntimeException e) {
      failed(e);
      return UNAVAILABLE;
    }
    try {
      if (!f.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
        f.cancel(false);
        failed(new TimeoutException());
        return UNAVAILABLE;
      }
      byte[] v = f.get();
      breaker.onSuccess();
      return v;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(false);
      return UNAVAILABLE;
    } catch (ExecutionException | RuntimeException e) {
      failed(e);
      return UNAVAILABLE;
    }
  }

  /** Async GET with timeout; never completes exceptionally. */
  CompletableFuture<byte @Nullable []> getAsync(String key) {
    if (!breaker.allowRequest()) {
      counters.l2Bypassed.increment();
      return CompletableFuture.completedFuture(UNAVAILABLE);
    }
    CompletableFuture<byte[]> f;
    try {
      f = strings.get(key).toCompletableFuture();
    } catch (RuntimeException e) { // e.g. rejected while disconnected
      failed(e);
      return CompletableFuture.completedFuture(UNAVAILABLE);
    }
    return f.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
        .handle(
            (v, ex) -> {
              if (ex != null) {
                failed(ex);
                return UNAVAILABLE;
              }
              breaker.onSuccess();
              return v;
            });
  }

  /** One MGET with timeout. Null when unavailable; else one entry (or null) per key. */
  @Nullable List<byte @Nullable []> mgetSync(List<String> keyList) {
    if (!breaker.allowRequest()) {
      counters.l2Bypassed.increment();
      return null;
    }
    RedisFuture<List<KeyValue<String, byte[]>>> f;
    try {
      f = strings.mget(keyList.toArray(new String[0]));
      if (!f.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
        f.cancel(false);
        failed(new TimeoutException());
        return null;
      }
      List<KeyValue<String, byte[]>> kvs = f.get();
      breaker.onSuccess();
      List<byte @Nullable []> out = new ArrayList<>(kvs.size());
      for (KeyValue<String, byte[]> kv : kvs) {
        out.add(kv.hasValue() ? kv.getValue() : null);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | RuntimeException e) {
      failed(e);
      return null;
    }
  }

  /** Compare-and-set writes, sent in one pipelined flush; not awaited. */
  void casWrites(List<CasWrite> writes) {
    if (writes.isEmpty()) {
      return;
    }
    if (!breaker.allowRequest()) {
      counters.l2Bypassed.increment();
      counters.l2WritesSkipped.add(writes.size());
      return;
    }
    List<AsyncCommand<String, byte[], Long>> commands = new ArrayList<>(writes.size());
    for (CasWrite w : writes) {
      CommandArgs<String, byte[]> args =
          new CommandArgs<>(CODEC)
              .add(CAS_SCRIPT)
              .add(1)
              .addKey(w.key)
              .addValue(w.expectedState)
              .addValue(w.value)
              .add(w.pxMillis);
      commands.add(new AsyncCommand<>(new Command<>(CommandType.EVAL, new IntegerOutput<>(CODEC), args)));
      markOwn(w.key);
    }
    try {
      connection.dispatch(commands);
    } catch (RuntimeException e) {
      failed(e);
      counters.l2WritesSkipped.add(writes.size());
      for (CasWrite w : writes) {
        unmarkOwn(w.key);
      }
      return;
    }
    for (int i = 0; i < commands.size(); i++) {
      String key = writes.get(i).key;
      var unused = commands.get(i).orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
          .whenComplete(
              (written, ex) -> {
                if (ex != null) {
                  unmarkOwn(key);
                  failed(ex);
                  counters.l2WritesSkipped.increment();
                } else {
                  breaker.onSuccess();
                  if (written == null || written == 0L) {
                    unmarkOwn(key);
                    counters.l2WritesSkipped.increment(); // raced by an invalidation or a newer write
                  }
                }
              });
    }
  }

  /**
   * SETs every entry (unconditionally, with its TTL) then PUBLISHes {@code message} (if not
   * null) so that no instance hears the message before Redis holds the new state; waits at most
   * the timeout in all. Standalone: both go on the one connection, which Redis serves in order.
   * Cluster: the SETs go to their keys' nodes and the PUBLISH to another connection (possibly
   * another node), so the PUBLISH is only sent once every SET has been acknowledged (one extra
   * round trip); a message that overtook its write would let the receiver re-read the old value
   * into L1. If a SET fails or times out, nothing is published. Returns whether all succeeded.
   */
  boolean setAllAndPublish(List<String> keyList, List<byte[]> values, List<Long> pxMillis, byte @Nullable [] message) {
    if (!breaker.allowRequest()) {
      counters.l2Bypassed.increment();
      counters.l2WritesSkipped.add(keyList.size());
      return false;
    }
    List<RedisFuture<?>> futures = new ArrayList<>(keyList.size() + 1);
    try {
      long deadline = System.nanoTime() + timeoutNanos;
      for (int i = 0; i < keyList.size(); i++) {
        markOwn(keyList.get(i));
        futures.add(strings.set(keyList.get(i), values.get(i), SetArgs.Builder.px(pxMillis.get(i))));
      }
      if (message != null && cluster) {
        if (!awaitAll(futures, deadline)) {
          return timedOut(keyList);
        }
        futures.clear();
      }
      if (message != null) {
        futures.add(base.publish(channel, message));
      }
      if (!awaitAll(futures, deadline)) {
        return timedOut(keyList);
      }
      breaker.onSuccess();
      return true;
    } catch (InterruptedException e) {
      keyList.forEach(this::unmarkOwn);
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | RuntimeException e) {
      keyList.forEach(this::unmarkOwn);
      failed(e);
      counters.l2WritesSkipped.add(keyList.size());
      return false;
    }
  }

  /** Waits for every future until the deadline: false on a timeout; a failure throws. */
  private static boolean awaitAll(List<RedisFuture<?>> futures, long deadline) throws InterruptedException, ExecutionException {
    for (RedisFuture<?> f : futures) {
      if (!f.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
      f.get();
    }
    return true;
  }

  private boolean timedOut(List<String> keyList) {
    keyList.forEach(this::unmarkOwn);
    failed(new TimeoutException());
    counters.l2WritesSkipped.add(keyList.size());
    return false;
  }

  /** Deletes a key (an undecodable entry); not awaited. */
  void deleteAsync(String key) {
    if (!breaker.allowRequest()) {
      return;
    }
    try {
      markOwn(key);
      var unused = keys.del(key).toCompletableFuture().orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
          .whenComplete((n, ex) -> {
            if (ex != null || n == null || n == 0L) {
              unmarkOwn(key);
            }
            if (ex != null) {
              failed(ex);
            }
          });
    } catch (RuntimeException e) {
      unmarkOwn(key);
      failed(e);
    }
  }

  void close() {
    RedisConnectionStateListener sl = stateListener;
    if (sl != null) {
      client.removeListener(sl);
    }
    StatefulRedisPubSubConnection<byte[], byte[]> ps = pubsub;
    if (ps != null) {
      ps.close();
    }
    connection.close();
    if (ownsClient) {
      client.shutdown();
    }
  }
}
