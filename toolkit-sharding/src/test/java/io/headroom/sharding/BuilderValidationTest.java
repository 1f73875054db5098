package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuilderValidationTest {

  @Test
  void outOfRangeSettingsNameTheSettingAndValue() {
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.RING).virtualNodes(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("virtualNodes: 0 (expected: 1..100000)");
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.MAGLEV).node("a").maglevTableSize(100).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maglevTableSize: 100 (expected: a prime");
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(List.of("a", "b", "c")).maglevTableSize(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maglevTableSize: 2");
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.ANCHOR).nodes(List.of("a", "b")).anchorCapacity(1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anchorCapacity: 1");
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.RING).nodeName(n -> "same").nodes(List.of("a", "b")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate node name: same");
  }

  @Test
  void settingsForAnotherAlgorithmConflict() {
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.JUMP).virtualNodes(10).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("virtualNodes is set but applies only to [RING, BOUNDED_LOAD], not JUMP");
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.RING).maglevTableSize(101).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ShardRouter.<String>builder(Algorithm.MAGLEV).anchorCapacity(10).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reusingTheBuilderDoesNotChangeABuiltRouter() {
    ShardRouterBuilder<String> b = ShardRouter.<String>builder(Algorithm.RING).node("a").virtualNodes(10);
    ShardRouter<String> first = b.build();
    b.node("b").virtualNodes(500);
    assertThat(first.nodes()).containsExactly("a");
    assertThat(b.build().nodes()).containsExactly("a", "b");
  }

  @Test
  void nodeNameDecidesPlacementNotTheNodeObject() {
    record Server(String host, int port) {}
    ShardRouter<Server> r = ShardRouter.<Server>builder(Algorithm.RING)
        .nodeName(s -> s.host() + ":" + s.port())
        .node(new Server("10.0.0.1", 6379)).node(new Server("10.0.0.2", 6379)).build();
    ShardRouter<String> byName = ShardRouter.<String>builder(Algorithm.RING).nodes(List.of("10.0.0.1:6379", "10.0.0.2:6379")).build();
    for (int i = 0; i < 1000; i++) {
      Server s = r.route("k" + i);
      assertThat(s.host() + ":" + s.port()).isEqualTo(byName.route("k" + i));
    }
  }
}
