package io.headroom.benchmarks.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads command counters from {@code INFO commandstats}. */
final class RedisStats implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RedisStats(String uri) {
    client = RedisClient.create(uri);
    connection = client.connect();
  }

  long calls(String command) {
    Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(connection.sync().info("commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  void flushAll() {
    connection.sync().flushall();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
