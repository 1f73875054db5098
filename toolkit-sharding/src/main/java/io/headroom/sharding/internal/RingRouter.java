package io.headroom.sharding.internal;

import io.headroom.sharding.ShardRouter;
import java.util.List;

/**
 * A hash ring with virtual nodes: node i gets {@code max(1, round(v × weight))} points at
 * xxHash64(name, seed = j) for j = 0, 1, ...; a key goes to the first point at or after its hash.
 * Immutable. Not API.
 */
public class RingRouter<N> extends AbstractRouter<N> {
  /** Points per node are capped so that a ring stays below ~2^31 points. */
  static final long MAX_POINTS = 1L << 30;

  final PointRing ring;

  public RingRouter(RouterConfig<N> config, List<N> nodes, double[] weights) {
    super(config, nodes, weights);
    if (nodes.size() > PointRing.MAX_OWNERS) {
      throw new IllegalArgumentException("nodes: " + nodes.size() + " (expected: <= " + PointRing.MAX_OWNERS + ")");
    }
    long total = 0;
    int[] counts = new int[nodes.size()];
    for (int i = 0; i < counts.length; i++) {
      long c = Math.max(1, Math.round(config.virtualNodes() * weights[i]));
      if (c > MAX_POINTS) {
        throw new IllegalArgumentException(
            "weight of node " + nodes.get(i) + ": " + weights[i] + " (too many virtual nodes: " + c + ")");
      }
      counts[i] = (int) c;
      total += c;
    }
    if (total > MAX_POINTS) {
      throw new IllegalArgumentException("virtual nodes in total: " + total + " (expected: <= " + MAX_POINTS + ")");
    }
    long[] points = new long[(int) total];
    int p = 0;
    for (int i = 0; i < counts.length; i++) {
      String name = name(nodes.get(i));
      for (int j = 0; j < counts[i]; j++) {
        points[p++] = PointRing.pack(XxHash64.hashUtf8(name, j), i);
      }
    }
    this.ring = new PointRing(points);
  }

  @Override
  protected int index(long hash) {
    return ring.owner(ring.slot(hash));
  }

  @Override
  protected void preference(long hash, int[] out) {
    ring.preference(hash, out, seenArray(out.length));
  }

  @Override
  protected ShardRouter<N> rebuild(List<N> newNodes, double[] newWeights) {
    return Routers.create(config, newNodes, newWeights);
  }
}
