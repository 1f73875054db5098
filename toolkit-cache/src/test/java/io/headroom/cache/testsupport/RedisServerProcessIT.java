package io.headroom.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
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
}
