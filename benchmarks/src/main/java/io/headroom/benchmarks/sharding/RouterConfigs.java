package io.headroom.benchmarks.sharding;

import io.headroom.sharding.Algorithm;
import io.headroom.sharding.ShardRouter;
import io.headroom.sharding.ShardRouterBuilder;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The router configurations the sharding scenarios compare, each with a label for tables and charts. */
final class RouterConfigs {
  private RouterConfigs() {}

  /** A labelled way to build a router over nodes 0..n-1 (named {@code node-i}). */
  record Config(String label, Algorithm algorithm, Function<ShardRouterBuilder<Integer>, ShardRouterBuilder<Integer>> settings) {
    ShardRouter<Integer> build(int nodes) {
      ShardRouterBuilder<Integer> b = ShardRouter.<Integer>builder(algorithm).nodeName(i -> "node-" + i);
      for (int i = 0; i < nodes; i++) {
        b.node(i);
      }
      return settings.apply(b).build();
    }
  }

  static List<Config> all() {
    return List.of(
        new Config("ring-100vn", Algorithm.RING, b -> b.virtualNodes(100)),
        new Config("ring-160vn", Algorithm.RING, b -> b),
        new Config("ketama", Algorithm.KETAMA, b -> b),
        new Config("jump", Algorithm.JUMP, b -> b),
        new Config("maglev", Algorithm.MAGLEV, b -> b),
        new Config("rendezvous", Algorithm.RENDEZVOUS, b -> b),
        new Config("anchor", Algorithm.ANCHOR, b -> b),
        new Config("bounded-load-c1.25", Algorithm.BOUNDED_LOAD, b -> b));
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
