package io.headroom.benchmarks.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cache.testsupport.RedisServerProcess;
import io.headroom.sharding.RedisSlot;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisSlot} against a real {@code redis-server}'s {@code CLUSTER KEYSLOT}. KEYSLOT needs
 * cluster support enabled (a standalone server answers "This instance has cluster support
 * disabled") but no slots assigned, so the test starts its own server with
 * {@code --cluster-enabled yes}; {@link RedisServerProcess} has no option for extra arguments, so
 * it only supplies the binary.
 */
@Timeout(120)
class RedisSlotVersusRedisIT {
  private static Process server;
  private static Path dir;
  private static RedisClient client;
  private static StatefulRedisConnection<byte[], byte[]> connection;

  @BeforeAll
  static void start() throws Exception {
    Path binary = RedisServerProcess.resolveBinary();
    dir = Files.createTempDirectory("headroom-redis-cluster-");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    server = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", dir.toString(),
            "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    client = RedisClient.create("redis://127.0.0.1:" + port);
    client.setDefaultTimeout(Duration.ofSeconds(5));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        connection = client.connect(ByteArrayCodec.INSTANCE);
        break;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")), e);
        }
        Thread.sleep(50);
      }
    }
  }

  @AfterAll
  static void stop() throws IOException, InterruptedException {
    if (connection != null) {
      connection.close();
    }
    if (client != null) {
      client.shutdown();
    }
    if (server != null) {
      server.destroy();
      if (!server.waitFor(5, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void documentedExamplesMatchClusterKeyslot() {
    RedisCommands<byte[], byte[]> redis = connection.sync();
    for (String key : List.of("foo", "{user1000}.following", "{user1000}.followers", "foo{}{bar}",
        "foo{{bar}}zap", "foo{bar}{zap}", "", "{}", "{", "}", "a{b", "ключ{тег}", "🔑{🔑}")) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      long expected = redis.clusterKeyslot(bytes);
      assertThat(RedisSlot.slot(key)).as(key).isEqualTo(expected);
      assertThat(RedisSlot.slot(bytes)).as(key).isEqualTo(expected);
    }
  }

  @Test
  void randomKeysMatchClusterKeyslot() {
    RedisCommands<byte[], byte[]> redis = connection.sync();
    SplittableRandom random = new SplittableRandom(2024);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      byte[] key = new byte[random.nextInt(40)];
      for (int j = 0; j < key.length; j++) {
        int pick = random.nextInt(10);
        key[j] = pick == 0 ? (byte) '{' : pick == 1 ? (byte) '}' : (byte) random.nextInt(256);
      }
      keys.add(key);
    }
    for (byte[] key : keys) {
      assertThat(RedisSlot.slot(key)).isEqualTo(redis.clusterKeyslot(key).intValue());
    }
    for (int i = 0; i < 500; i++) {
      String key = "user:" + random.nextInt(1_000_000) + (i % 3 == 0 ? "{" + random.nextInt(100) + "}" : "");
      assertThat(RedisSlot.slot(key)).as(key).isEqualTo(redis.clusterKeyslot(key.getBytes(StandardCharsets.UTF_8)).intValue());
    }
  }
}
