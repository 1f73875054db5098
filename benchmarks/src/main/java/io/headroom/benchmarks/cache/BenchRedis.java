package io.headroom.benchmarks.cache;

import io.headroom.cache.testsupport.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;

/**
 * The Redis a JMH benchmark talks to: {@code -Dheadroom.redis.uri} when the runner sets it,
 * otherwise a {@link RedisServerProcess} started for the trial and stopped after it. It also
 * owns the Lettuce client the cache is built on and a raw {@code String -> byte[]} connection
 * for the peers, and closes all three.
 */
final class BenchRedis implements AutoCloseable {
  private final @Nullable RedisServerProcess owned;
  private final String uri;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> rawConnection;

  private BenchRedis(@Nullable RedisServerProcess owned, String uri) {
    this.owned = owned;
    this.uri = uri;
    this.client = RedisClient.create(uri);
    this.rawConnection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  static BenchRedis open() {
    String given = System.getProperty("headroom.redis.uri");
    if (given != null && !given.isBlank()) {
      return new BenchRedis(null, given);
    }
    RedisServerProcess server = RedisServerProcess.start();
    return new BenchRedis(server, server.uri());
  }

  String uri() {
    return uri;
  }

  /** The client to build the cache on (one per trial, shared with the raw connection). */
  RedisClient client() {
    return client;
  }

  /** Raw Lettuce commands with byte[] values: the peer's path to Redis. */
  RedisCommands<String, byte[]> raw() {
    return rawConnection.sync();
  }

  @Override
  public void close() {
    rawConnection.close();
    client.shutdown();
    RedisServerProcess s = owned;
    if (s != null) {
      s.close();
    }
  }
}
