package io.headroom.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerProcessIT {

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @Test
  void serverAnswersLettuceAndComesBackOnTheSamePortAfterRestart() {
    RedisClient client = RedisClient.create(REDIS.uri());
    client.setDefaultTimeout(Duration.ofSeconds(2));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertThat(redis.set("greeting", "hello")).isEqualTo("OK");
      assertThat(redis.get("greeting")).isEqualTo("hello");

      int port = REDIS.port();
      long firstPid = REDIS.server().pid().orElseThrow();
      REDIS.server().stop();
      assertThat(REDIS.server().isRunning()).isFalse();
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
      assertThat(RedisServerProcess.answersPing(port)).isFalse();
      assertThatThrownBy(() -> redis.get("greeting")).isInstanceOf(RedisException.class);

      REDIS.server().restart();
      assertThat(REDIS.port()).isEqualTo(port);
      assertThat(REDIS.server().pid().orElseThrow()).isNotEqualTo(firstPid);
      // Nothing is kept on disk, so the key is gone, but the same connection reconnects and works.
      assertThat(redis.get("greeting")).isNull();
      assertThat(redis.set("greeting", "again")).isEqualTo("OK");
      assertThat(redis.get("greeting")).isEqualTo("again");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void embeddedBinaryStartsWhenNoRedisIsInstalled() {
    try (RedisServerProcess embedded = RedisServerProcess.start(RedisServerProcess.extractEmbeddedBinary())) {
      assertThat(embedded.version()).startsWith("Redis server v=");
      assertThat(RedisServerProcess.answersPing(embedded.port())).isTrue();
      long pid = embedded.pid().orElseThrow();
      embedded.close();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(RedisServerProcess.running()).doesNotContain(embedded);
    }
  }

  @Test
  void embeddedBinaryFormsAClusterAndClosingItStopsEveryNode() {
    List<Long> pids = new ArrayList<>();
    List<java.nio.file.Path> dirs = new ArrayList<>();
    try (RedisCluster cluster = RedisCluster.start(RedisServerProcess.extractEmbeddedBinary(), 3)) {
      for (RedisServerProcess node : cluster.nodes()) {
        pids.add(node.pid().orElseThrow());
        dirs.add(node.directory());
        assertThat(node.port()).isLessThan(65_536 - 10_000); // its cluster bus is port + 10000
        assertThat(node.directory().resolve("nodes-" + node.port() + ".conf")).exists();
      }
      RedisClusterClient client = RedisClusterClient.create(cluster.uris());
      try (var connection = client.connect()) {
        assertThat(connection.getPartitions()).hasSize(3);
        for (int slot : new int[] {0, 5460, 5461, 10921, 10922, 16383}) {
          assertThat(connection.getPartitions().getPartitionBySlot(slot).getUri().getPort())
              .as("owner of slot %d", slot)
              .isEqualTo(cluster.nodes().get(cluster.nodeIndexOfSlot(slot)).port());
        }
        // Keys in different slots, so on different nodes: Lettuce routes each.
        for (int i = 0; i < 30; i++) {
          connection.sync().set("key" + i, "v" + i);
        }
        assertThat(connection.sync().dbsize()).isEqualTo(30);
      } finally {
        client.shutdown();
      }
    }
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
    assertThat(dirs).allMatch(d -> !java.nio.file.Files.exists(d));
  }

  @Test
  void passwordProtectedServerCountsAsStartedAndRefusesClientsWithoutThePassword() {
    try (RedisServerProcess secured = RedisServerProcess.start(List.of("--requirepass", "s3cret"))) {
      RedisClient anonymous = RedisClient.create(secured.uri());
      try {
        assertThatThrownBy(() -> anonymous.connect().sync().ping()).hasStackTraceContaining("NOAUTH");
      } finally {
        anonymous.shutdown();
      }
      RedisClient authenticated = RedisClient.create("redis://:s3cret@127.0.0.1:" + secured.port());
      try (var connection = authenticated.connect()) {
        assertThat(connection.sync().ping()).isEqualTo("PONG");
      } finally {
        authenticated.shutdown();
      }
    }
  }

  @Test
  void sentinelAnswersWithTheMasterItMonitors() {
    RedisClient client = RedisClient.create();
    try (RedisServerProcess sentinel = RedisServerProcess.startSentinel("primary", REDIS.port());
        var connection = client.connect(io.lettuce.core.RedisURI.create(sentinel.uri()))) {
      var sync = connection.sync();
      List<String> master =
          sync.dispatch(
              io.lettuce.core.protocol.CommandType.SENTINEL,
              new io.lettuce.core.output.ValueListOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
              new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                  .add("get-master-addr-by-name")
                  .add("primary"));
      assertThat(master).containsExactly("127.0.0.1", Integer.toString(REDIS.port()));
    } finally {
      client.shutdown();
    }
  }
}
