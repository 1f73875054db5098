package io.headroom.sharding.internal;

import io.headroom.sharding.ShardRouter;
import io.headroom.sharding.snippet.MaglevTable;
import java.util.List;

/** Creates the router of a config's algorithm. Not API. */
public final class Routers {
  private Routers() {}

  /** Default Maglev table size: the smallest prime ≥ 100 × nodes (at least 101). */
  public static int defaultMaglevTableSize(int nodes) {
    return MaglevTable.nextPrime((int) Math.min(Integer.MAX_VALUE - 100L, Math.max(101L, 100L * nodes)));
  }

  /** Default anchor capacity: 2 × nodes, at least 16. */
  public static int defaultAnchorCapacity(int nodes) {
    return Math.max(16, 2 * nodes);
  }

  public static <N> ShardRouter<N> create(RouterConfig<N> config, List<N> nodes, double[] weights) {
    return switch (config.algorithm()) {
      case RING -> new RingRouter<>(config, nodes, weights);
      case KETAMA -> new KetamaRouter<>(config, nodes, weights);
      case JUMP -> new JumpRouter<>(config, nodes, weights);
      case MAGLEV -> new MaglevRouter<>(config, nodes, weights,
          config.maglevTableSize() == 0 ? defaultMaglevTableSize(nodes.size()) : config.maglevTableSize());
      case RENDEZVOUS -> new RendezvousRouter<>(config, nodes, weights);
      case ANCHOR -> new AnchorRouter<>(
          config.anchorCapacity() == 0
              ? config.withAnchorCapacity(defaultAnchorCapacity(nodes.size()))
              : config,
          nodes, weights);
      case BOUNDED_LOAD -> new BoundedLoadRing<>(config, nodes, weights);
    };
  }
}
