package io.headroom.sharding.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.sharding.KeyHash;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;

class XxHash64Test {

  @Test
  void matchesPublishedXxh64Vectors() {
    // XXH64 reference outputs (seed 0) as listed by the xxHash project and its ports.
    assertThat(XxHash64.hashUtf8("", 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(XxHash64.hashUtf8("a", 0)).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(XxHash64.hashUtf8("abc", 0)).isEqualTo(0x44BC2CF5AD770999L);
  }

  @Test
  void matchesZeroAllocationHashingForEveryLengthUpTo100AndMixedScripts() {
    SplittableRandom random = new SplittableRandom(42);
    String alphabet = "aZ09-_{}é߿ࠀ中\uFFFF";
    for (int length = 0; length <= 100; length++) {
      for (int trial = 0; trial < 20; trial++) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
          int pick = random.nextInt(alphabet.length() + 1);
          if (pick == alphabet.length()) {
            sb.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a surrogate pair
          } else {
            sb.append(alphabet.charAt(pick));
          }
        }
        String s = sb.toString();
        long seed = trial == 0 ? 0 : random.nextLong();
        long expected = LongHashFunction.xx(seed).hashBytes(s.getBytes(StandardCharsets.UTF_8));
        assertThat(XxHash64.hashUtf8(s, seed)).as("%s (seed %d)", s, seed).isEqualTo(expected);
        assertThat(XxHash64.hashUtf8(new StringBuilder(s), seed)).isEqualTo(expected);
      }
    }
  }

  @Test
  void asciiRunsWithOneMultiByteCharAtEveryPositionMatchTheOracle() {
    String ascii = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_"; // 64 chars
    for (String odd : new String[] {"é", "中", "🔑"}) {
      for (int at = 0; at <= ascii.length(); at++) {
        String s = ascii.substring(0, at) + odd + ascii.substring(at);
        long expected = LongHashFunction.xx(0).hashBytes(s.getBytes(StandardCharsets.UTF_8));
        assertThat(XxHash64.hashUtf8(s, 0)).as(s).isEqualTo(expected);
      }
    }
  }

  @Test
  void unpairedSurrogatesHashAsStringGetBytesEncodesThem() {
    for (String s : new String[] {"\uD800", "a\uDC00b", "\uD83D", "x\uD83Dy\uDE00", "\uDE00\uD83D"}) {
      long expected = LongHashFunction.xx(0).hashBytes(s.getBytes(StandardCharsets.UTF_8));
      assertThat(XxHash64.hashUtf8(s, 0)).as(s).isEqualTo(expected);
    }
  }

  @Test
  void keyHashOfCharSequenceEqualsKeyHashOfItsUtf8Bytes() {
    for (String s : new String[] {"", "user:1", "ключ", "🔑key-with-emoji-and-more-than-32-bytes"}) {
      assertThat(KeyHash.hash(s)).isEqualTo(KeyHash.hash(s.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(KeyHash.hash(42L)).isEqualTo(LongHashFunction.xx(0).hashLong(42L));
  }

  @Test
  void rangeMapsOntoTheWholeIntervalAndNeverOutside() {
    assertThat(XxHash64.range(0L, 10)).isZero();
    assertThat(XxHash64.range(-1L, 10)).isEqualTo(9);
    assertThat(XxHash64.range(Long.MIN_VALUE, 10)).isEqualTo(5);
  }
}
