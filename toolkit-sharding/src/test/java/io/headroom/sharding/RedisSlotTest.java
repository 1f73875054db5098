package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RedisSlotTest {

  @Test
  void crc16IsTheXmodemVariant() {
    // The check value of CRC-16/XMODEM, also in Redis's crc16.c comment.
    assertThat(RedisSlot.crc16("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x31C3);
  }

  @Test
  void documentedHashTagExamples() {
    // From the Redis Cluster specification, "Hash tags".
    assertThat(RedisSlot.slot("{user1000}.following")).isEqualTo(RedisSlot.slot("{user1000}.followers"));
    assertThat(RedisSlot.slot("{user1000}.following")).isEqualTo(RedisSlot.slot("user1000"));
    assertThat(RedisSlot.slot("foo{}{bar}")).isEqualTo(RedisSlot.crc16("foo{}{bar}".getBytes(StandardCharsets.UTF_8)) % 16384);
    assertThat(RedisSlot.slot("foo{{bar}}zap")).isEqualTo(RedisSlot.slot("{bar"));
    assertThat(RedisSlot.slot("foo{bar}{zap}")).isEqualTo(RedisSlot.slot("bar"));
    assertThat(RedisSlot.slot("foo{bar")).isEqualTo(RedisSlot.crc16("foo{bar".getBytes(StandardCharsets.UTF_8)) % 16384);
  }

  @Test
  void knownSlotsFromRedis() {
    // Answers of CLUSTER KEYSLOT on redis-server 7.0 (also checked live by RedisSlotVersusRedisIT).
    assertThat(RedisSlot.slot("foo")).isEqualTo(12182);
    assertThat(RedisSlot.slot("{user1000}.following")).isEqualTo(3443);
    assertThat(RedisSlot.slot("")).isZero();
  }

  @Test
  void charSequenceFormEqualsByteFormForUnicodeKeys() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(20);
      for (int j = 0; j < len; j++) {
        int kind = random.nextInt(5);
        switch (kind) {
          case 0 -> sb.append('{');
          case 1 -> sb.append('}');
          case 2 -> sb.append((char) ('a' + random.nextInt(26)));
          case 3 -> sb.append((char) (0x400 + random.nextInt(0x100)));
          default -> sb.appendCodePoint(0x1F600 + random.nextInt(50));
        }
      }
      String key = sb.toString();
      assertThat(RedisSlot.slot(key)).as(key).isEqualTo(RedisSlot.slot(key.getBytes(StandardCharsets.UTF_8)));
      assertThat(RedisSlot.slot(key)).isBetween(0, 16383);
    }
  }
}
