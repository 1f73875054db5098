package io.headroom.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * The peer of the stampede and outage scenarios: Caffeine and Lettuce glued together the way a
 * service does it in an afternoon. No single flight, no timeouts beyond Lettuce's defaults
 * (60 s, commands buffered while disconnected), no breaker, exceptions go to the caller.
 */
final class NaiveTwoTierCache implements AutoCloseable {
  private final Cache<String, String> l1;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisCommands<String, byte[]> redis;
  private final long l2TtlMillis;

  NaiveTwoTierCache(String uri, long maximumSize, Duration l1Ttl, Duration l2Ttl) {
    this.l1 = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(l1Ttl).build();
    this.client = RedisClient.create(uri);
    this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    this.redis = connection.sync();
    this.l2TtlMillis = l2Ttl.toMillis();
  }

  String get(String key, Function<String, String> loader) {
    String v = l1.getIfPresent(key);
    if (v != null) {
      return v;
    }
    byte[] stored = redis.get("naive:" + key);
    if (stored != null) {
      v = new String(stored, StandardCharsets.UTF_8);
      l1.put(key, v);
      return v;
    }
    v = loader.apply(key);
    redis.set("naive:" + key, v.getBytes(StandardCharsets.UTF_8), SetArgs.Builder.px(l2TtlMillis));
    l1.put(key, v);
    return v;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
