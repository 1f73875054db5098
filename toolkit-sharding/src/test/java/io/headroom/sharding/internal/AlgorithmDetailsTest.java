package io.headroom.sharding.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.sharding.Algorithm;
import io.headroom.sharding.ShardRouter;
import io.headroom.sharding.snippet.JumpHash;
import io.headroom.sharding.snippet.MaglevTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AlgorithmDetailsTest {

  static List<String> names(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("node-" + i);
    }
    return names;
  }

  @Test
  void anchorHashMovesOnlyTheRemovedNodesKeysThroughAnyRemovalSequenceAndRestoresThemOnReAdd() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.ANCHOR).nodes(names(40)).anchorCapacity(64).build();
    SplittableRandom random = new SplittableRandom(21);
    long[] keys = new long[20_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = random.nextLong();
    }
    List<ShardRouter<String>> history = new ArrayList<>();
    List<String> removedOrder = new ArrayList<>();
    for (int step = 0; step < 30; step++) {
      List<String> live = r.nodes();
      String victim = live.get(random.nextInt(live.size()));
      ShardRouter<String> next = r.withoutNode(victim);
      for (long k : keys) {
        String was = r.route(k);
        assertThat(next.route(k)).isNotEqualTo(victim);
        if (!was.equals(victim)) {
          assertThat(next.route(k)).isEqualTo(was);
        }
      }
      history.add(r);
      removedOrder.add(victim);
      r = next;
    }
    assertThat(r.nodes()).hasSize(10);
    // Re-adding in reverse order restores every earlier snapshot's routing exactly.
    for (int step = 29; step >= 20; step--) {
      r = r.withNode(removedOrder.get(step));
      ShardRouter<String> earlier = history.get(step);
      for (long k : keys) {
        assertThat(r.route(k)).isEqualTo(earlier.route(k));
      }
    }
  }

  @Test
  void anchorGrowsBeyondItsCapacityByRebuilding() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.ANCHOR).nodes(names(2)).anchorCapacity(2).build();
    ShardRouter<String> grown = r.withNode("node-2");
    assertThat(grown.nodes()).containsExactly("node-0", "node-1", "node-2");
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      counts.merge(grown.route("k" + i), 1, Integer::sum);
    }
    assertThat(counts).hasSize(3);
  }

  @Test
  void maglevPopulationWithEqualWeightsIsThePapersLoopAsInTheSnippet() {
    SplittableRandom random = new SplittableRandom(4);
    int size = 1009;
    long[] offsets = new long[7];
    long[] skips = new long[7];
    double[] weights = new double[7];
    for (int i = 0; i < 7; i++) {
      offsets[i] = random.nextInt(size);
      skips[i] = 1 + random.nextInt(size - 1);
      weights[i] = 2.5;
    }
    assertThat(MaglevRouter.populate(offsets, skips, weights, size)).containsExactly(MaglevTable.populate(offsets, skips, size));
  }

  @Test
  void maglevSlotsAreEvenAndTheTableSizeStaysFixedAcrossChanges() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(names(10)).build();
    MaglevRouter<String> m = (MaglevRouter<String>) r;
    int[] table = m.table();
    assertThat(table).hasSize(1009); // smallest prime >= 100 * 10
    int[] perNode = new int[10];
    for (int t : table) {
      perNode[t]++;
    }
    for (int c : perNode) {
      assertThat(c).isBetween(100, 101);
    }
    assertThat(((MaglevRouter<String>) r.withNode("x").withoutNode("node-0")).table()).hasSize(1009);
  }

  @Test
  void maglevWithTheDefaultSizeGrowsPastItsTableAndASetSizeRefusesTo() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.MAGLEV).build();
    for (int i = 0; i < 150; i++) {
      r = r.withNode("n" + i);
    }
    assertThat(((MaglevRouter<String>) r).table()).hasSize(10_211); // re-chosen at 102 nodes (prime >= 10,200), kept after
    ShardRouter<String> fixed = ShardRouter.<String>builder(Algorithm.MAGLEV).node("a").maglevTableSize(2).build();
    ShardRouter<String> two = fixed.withNode("b");
    assertThat(((MaglevRouter<String>) two).table()).hasSize(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> two.withNode("c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodes: 3 (expected: <= maglevTableSize 2)");
  }

  @Test
  void maglevSnippetBuildsAnEvenTableAndLooksUp() {
    MaglevTable t = new MaglevTable(List.of("a", "b", "c"), 307);
    Map<String, Integer> counts = new HashMap<>();
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 30_000; i++) {
      counts.merge(t.lookup(random.nextLong()), 1, Integer::sum);
    }
    assertThat(counts.keySet()).containsExactlyInAnyOrder("a", "b", "c");
    counts.values().forEach(c -> assertThat(c).isBetween(9_000, 11_000));
    assertThat(MaglevTable.nextPrime(100)).isEqualTo(101);
    assertThat(MaglevTable.isPrime(65537)).isTrue();
    assertThat(MaglevTable.isPrime(65535)).isFalse();
  }

  @Test
  void jumpHashIsConsistentWhenBucketsGrow() {
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 10_000; i++) {
      long key = random.nextLong();
      int b10 = JumpHash.bucket(key, 10);
      int b11 = JumpHash.bucket(key, 11);
      assertThat(b11 == b10 || b11 == 10).isTrue();
    }
    assertThat(JumpHash.bucket(0, 1)).isZero();
  }

  @Test
  void jumpRemovalOfAMiddleNodeMovesTheLastIntoItsBucket() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.JUMP).nodes(names(10)).build();
    ShardRouter<String> after = r.withoutNode("node-4");
    assertThat(after.nodes()).containsExactly("node-0", "node-1", "node-2", "node-3", "node-9", "node-5", "node-6", "node-7", "node-8");
    SplittableRandom random = new SplittableRandom(10);
    for (int i = 0; i < 10_000; i++) {
      long k = random.nextLong();
      String was = r.route(k);
      if (!was.equals("node-4") && !was.equals("node-9")) {
        assertThat(after.route(k)).isEqualTo(was);
      }
    }
  }
}
