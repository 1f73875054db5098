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
  void maglevSlotsAreEvenAndASetTableSizeStaysFixedAcrossChanges() {
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
    ShardRouter<String> set = ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(names(10)).maglevTableSize(1009).build();
    assertThat(((MaglevRouter<String>) set.withNode("x")).table()).hasSize(1009);
    assertThat(((MaglevRouter<String>) set.withNode("x").withoutNode("node-0")).table()).hasSize(1009);
    assertThat(((MaglevRouter<String>) set.withoutNode("node-0")).table()).hasSize(1009);
  }

  @Test
  void maglevKeepsTheDefaultSizeWhileEveryNodeHasTwentySlotsAndASetSizeRefusesMoreNodesThanSlots() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.MAGLEV).build(); // empty: 101 slots
    int expected = 101;
    int resizes = 0;
    for (int i = 0; i < 150; i++) {
      r = r.withNode("n" + i);
      int n = i + 1;
      if (n * MaglevRouter.MIN_SLOTS_PER_NODE > expected) {
        expected = Routers.defaultMaglevTableSize(n); // re-chosen: most keys move, rarely
        resizes++;
      }
      assertThat(((MaglevRouter<String>) r).table()).hasSize(expected);
      assertThat(expected).isGreaterThanOrEqualTo(n * MaglevRouter.MIN_SLOTS_PER_NODE);
    }
    assertThat(resizes).isEqualTo(2); // at 6 nodes (601 slots) and at 31 (the prime >= 3,100)
    int size = expected;
    // Removing a node or changing a weight keeps the table, so few keys move.
    assertThat(((MaglevRouter<String>) r.withoutNode("n7")).table()).hasSize(size);
    assertThat(((MaglevRouter<String>) r.withWeight("n7", 2.0)).table()).hasSize(size);
    ShardRouter<String> fixed = ShardRouter.<String>builder(Algorithm.MAGLEV).node("a").maglevTableSize(2).build();
    ShardRouter<String> two = fixed.withNode("b");
    assertThat(((MaglevRouter<String>) two).table()).hasSize(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> two.withNode("c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodes: 3 (expected: <= maglevTableSize 2)");
  }

  @Test
  void addingOrRemovingANodeAtTheDefaultSizeMovesFewKeys() {
    ShardRouter<String> before = ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(names(100)).build();
    ShardRouter<String> added = before.withNode("node-new");
    ShardRouter<String> removed = before.withoutNode("node-50");
    assertThat(((MaglevRouter<String>) added).table()).hasSize(((MaglevRouter<String>) before).table().length);
    int keys = 200_000;
    int movedByAdd = 0;
    int movedByRemove = 0;
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < keys; i++) {
      long key = random.nextLong();
      String owner = before.route(key);
      if (!added.route(key).equals(owner)) {
        movedByAdd++;
      }
      if (!removed.route(key).equals(owner)) {
        movedByRemove++;
      }
    }
    // The optimum is 1/101 and 1/100 of the keys; Maglev moves a few times that (its table
    // entries shift when permutations are re-walked), far from re-choosing the size (~99%).
    assertThat((double) movedByAdd / keys).isBetween(1.0 / 101 * 0.8, 4.0 / 101);
    assertThat((double) movedByRemove / keys).isBetween(1.0 / 100 * 0.8, 4.0 / 100);
  }

  /** Built with 10 nodes and grown one {@code withNode} at a time to 1,000 (shared: ~1 s to grow). */
  private static @org.jspecify.annotations.Nullable ShardRouter<String> grownTo1000;

  private static synchronized ShardRouter<String> maglevGrownFrom10To1000() {
    if (grownTo1000 == null) {
      ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(names(10)).build();
      for (String node : names(1000).subList(10, 1000)) {
        r = r.withNode(node);
      }
      grownTo1000 = r;
    }
    return grownTo1000;
  }

  // Regression: rebuild kept the first default size (1,009 slots) until the nodes outnumbered the
  // slots, so this router had about one slot per node and some nodes twice the keys of others.
  @Test
  void maglevGrownFrom10To1000NodesWithWithNodeKeepsTwentySlotsPerNodeAndStaysBalanced() {
    ShardRouter<String> r = maglevGrownFrom10To1000();
    int[] table = ((MaglevRouter<String>) r).table();
    int n = 1000;
    assertThat(table.length).isGreaterThanOrEqualTo(n * MaglevRouter.MIN_SLOTS_PER_NODE);
    int[] slots = new int[n];
    for (int t : table) {
      slots[t]++;
    }
    // Equal weights: every node owns the floor or the ceiling of size / n slots.
    int floor = table.length / n;
    assertThat(java.util.Arrays.stream(slots).min().orElseThrow()).isGreaterThanOrEqualTo(floor);
    assertThat(java.util.Arrays.stream(slots).max().orElseThrow()).isLessThanOrEqualTo(floor + 1);
    int keys = 100_000;
    Map<String, Integer> counts = new HashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < keys; i++) {
      counts.merge(r.route(random.nextLong()), 1, Integer::sum);
    }
    int max = counts.values().stream().max(Integer::compare).orElseThrow();
    // Over 100,000 keys the mean is 100 keys per node, so sampling alone puts the busiest of 1,000
    // nodes ~30 % above it (a perfect random assignment does too); 1.5 still fails the old
    // 1,009-slot table, where 9 nodes own two slots and peak near 2.
    assertThat(counts).hasSize(n);
    assertThat((double) max * n / keys).isLessThan(1.5);
  }

  @Test
  void aMaglevTableIsAFunctionOfItsNodesWeightsAndSizeAlone() {
    // A router grown to 1,000 nodes routes exactly as one built with those nodes at its size.
    ShardRouter<String> grown = maglevGrownFrom10To1000();
    int size = ((MaglevRouter<String>) grown).table().length;
    ShardRouter<String> built =
        ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(names(1000)).maglevTableSize(size).build();
    assertThat(grown.nodes()).containsExactlyElementsOf(built.nodes());
    assertThat(((MaglevRouter<String>) grown).table()).containsExactly(((MaglevRouter<String>) built).table());
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 100_000; i++) {
      long key = random.nextLong();
      assertThat(grown.route(key)).isEqualTo(built.route(key));
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(grown.route("key-" + i, 3)).isEqualTo(built.route("key-" + i, 3));
    }
  }

  /** Keys moved when node-50 of 100 leaves, as a multiple of the optimum 1/100, at a table size. */
  private static double maglevRemovalMovement(int tableSize, int keys) {
    ShardRouter<String> before =
        ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(names(100)).maglevTableSize(tableSize).build();
    ShardRouter<String> after = before.withoutNode("node-50");
    SplittableRandom random = new SplittableRandom(6);
    int moved = 0;
    for (int i = 0; i < keys; i++) {
      long key = random.nextLong();
      if (!before.route(key).equals(after.route(key))) {
        moved++;
      }
    }
    return moved / (keys / 100.0);
  }

  @Test
  void maglevExtraMovementShrinksAsTheTableGrows() {
    // The README's figures: about 2.6x the optimum at the default ~100 slots per node, then less
    // with every larger table (Eisenbud et al. 2016 report the same trend).
    double small = maglevRemovalMovement(10_007, 400_000);
    double medium = maglevRemovalMovement(100_003, 400_000);
    double large = maglevRemovalMovement(1_000_003, 400_000);
    assertThat(small).isBetween(2.0, 3.5);
    assertThat(medium).isBetween(1.1, 2.0).isLessThan(small);
    assertThat(large).isBetween(0.9, 1.3).isLessThan(medium);
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
