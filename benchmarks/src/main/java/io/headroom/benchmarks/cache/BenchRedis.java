package io.headroom.benchmarks.cache;

import io.headroom.cache.testsupport.RedisServerProcess;
import org.jspecify.annotations.Nullable;

/**
 * The Redis a JMH benchmark talks to: {@code -Dheadroom.redis.uri} when the runner sets it,
 * otherwise a {@link RedisServerProcess} started for the trial and stopped after it.
 */
final class BenchRedis implements AutoCloseable {
  private final @Nullable RedisServerProcess owned;
  private final String uri;

  private BenchRedis(@Nullable RedisServerProcess owned, String uri) {
    this.owned = owned;
    this.uri = uri;
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

  @Override
  public void close() {
    RedisServerProcess s = owned;
    if (s != null) {
      s.close();
    }
  }
}
