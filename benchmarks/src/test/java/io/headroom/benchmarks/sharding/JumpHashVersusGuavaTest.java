package io.headroom.benchmarks.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import io.headroom.sharding.snippet.JumpHash;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guava's {@code Hashing.consistentHash(long, int)} implements the same jump algorithm (same
 * linear congruential generator), so it is an independent oracle for {@link JumpHash}.
 */
class JumpHashVersusGuavaTest {

  @Test
  void jumpHashEqualsGuavasConsistentHashForRandomKeysAndBucketCounts() {
    SplittableRandom random = new SplittableRandom(77);
    for (int i = 0; i < 100_000; i++) {
      long key = random.nextLong();
      int buckets = 1 + random.nextInt(i % 2 == 0 ? 20 : 100_000);
      assertThat(JumpHash.bucket(key, buckets)).isEqualTo(Hashing.consistentHash(key, buckets));
    }
  }

  @Test
  void treeMapPeerAgreesWithHeadroomKetama() {
    java.util.List<String> servers = java.util.List.of("a:11211", "b:11211", "c:11211");
    TreeMapKetamaRing peer = new TreeMapKetamaRing(servers);
    io.headroom.sharding.ShardRouter<String> ketama =
        io.headroom.sharding.ShardRouter.<String>builder(io.headroom.sharding.Algorithm.KETAMA).nodes(servers).build();
    assertThat(peer.size()).isEqualTo(480);
    for (int i = 0; i < 10_000; i++) {
      assertThat(ketama.route("key-" + i)).isEqualTo(peer.route("key-" + i));
    }
  }
}
