package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoundedLoadRouterTest {

  static List<String> nodes(int n) {
    return ShardRouterBehaviourTest.names(n);
  }

  @Test
  void noNodeExceedsItsCapacityWhenKeysArePlacedOneByOne() {
    BoundedLoadRouter<String> r = ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD)
        .nodes(nodes(20)).virtualNodes(40).capacityFactor(1.1).buildBoundedLoad();
    Map<String, Long> load = new HashMap<>();
    SplittableRandom random = new SplittableRandom(11);
    long total = 0;
    for (int i = 0; i < 50_000; i++) {
      String node = r.route(random.nextLong(), n -> load.getOrDefault(n, 0L), total);
      assertThat(load.getOrDefault(node, 0L)).isLessThan(r.capacity(node, total));
      load.merge(node, 1L, Long::sum);
      total++;
    }
    long max = load.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(max).isLessThanOrEqualTo((long) Math.ceil(1.1 * 50_000 / 20));
    assertThat(load.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(50_000);
  }

  @Test
  void unloadedRoutingIsThePlainRing() {
    BoundedLoadRouter<String> bounded = ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD).nodes(nodes(10)).buildBoundedLoad();
    ShardRouter<String> ring = ShardRouter.<String>builder(Algorithm.RING).nodes(nodes(10)).build();
    for (int i = 0; i < 5000; i++) {
      assertThat(bounded.route("k" + i)).isEqualTo(ring.route("k" + i));
      assertThat(bounded.route("k" + i, n -> 0L, 0)).isEqualTo(ring.route("k" + i));
    }
  }

  @Test
  void aFullNodeIsSkippedForTheNextOneClockwise() {
    BoundedLoadRouter<String> r = ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD).nodes(nodes(4)).buildBoundedLoad();
    String first = r.route("hot");
    long total = 100;
    long cap = r.capacity(first, total); // ceil(1.25 * 101 / 4) = 32
    assertThat(cap).isEqualTo(32);
    String second = r.route("hot", n -> n.equals(first) ? cap : 0L, total);
    assertThat(second).isNotEqualTo(first).isEqualTo(r.route("hot", 2).get(1));
  }

  @Test
  void weightsScaleCapacity() {
    BoundedLoadRouter<String> r = ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD)
        .node("a", 1).node("b", 3).capacityFactor(2).buildBoundedLoad();
    assertThat(r.capacity("a", 99)).isEqualTo(50); // 2 * 100 * 1/4
    assertThat(r.capacity("b", 99)).isEqualTo(150);
    assertThat(r.capacityFactor()).isEqualTo(2.0);
    assertThat(r.withNode("c").capacity("c", 99)).isEqualTo(40); // 2 * 100 * 1/5
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD).capacityFactor(1.0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacityFactor: 1.0 (expected: finite and > 1)");
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.RING).capacityFactor(1.5).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("capacityFactor");
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.RING).buildBoundedLoad())
        .isInstanceOf(IllegalStateException.class);
    BoundedLoadRouter<String> r = ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD).node("a").buildBoundedLoad();
    assertThatThrownBy(() -> r.route(1L, n -> 0L, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalLoad: -1");
    assertThatThrownBy(() -> r.withoutNode("a").route(1L, n -> 0L, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("no nodes");
  }
}
