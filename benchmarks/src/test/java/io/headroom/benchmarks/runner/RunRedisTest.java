package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRedisTest {

  @Test
  void parsesTheVersionFromInfo() {
    assertThat(RunRedis.parseVersion("# Server\r\nredis_version:7.2.4\r\nredis_git_sha1:0\r\n")).contains("7.2.4");
    assertThat(RunRedis.parseVersion("# Server\r\n")).isEmpty();
  }

  @Test
  void encodesCommandsAsRespArrays() {
    assertThat(new String(RunRedis.command(List.of("INFO", "server")), StandardCharsets.UTF_8))
        .isEqualTo("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n");
  }

  @Test
  void neverPrintsThePassword() {
    assertThat(RunRedis.redactPassword("redis://:secret@db:6379/0")).isEqualTo("redis://:***@db:6379/0");
    assertThat(RunRedis.redactPassword("redis://user:secret@db:6379")).isEqualTo("redis://user:***@db:6379");
    assertThat(RunRedis.redactPassword("redis://db:6379")).isEqualTo("redis://db:6379");
  }

  @Test
  void anUnreachableServerHasNoVersion() {
    assertThat(RunRedis.infoVersion("redis://127.0.0.1:1")).isEmpty();
    assertThat(RunRedis.infoVersion("rediss://127.0.0.1:1")).isEmpty();
  }
}
