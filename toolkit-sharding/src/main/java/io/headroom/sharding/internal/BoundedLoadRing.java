package io.headroom.sharding.internal;

import io.headroom.sharding.BoundedLoadRouter;
import io.headroom.sharding.KeyHash;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/** {@link BoundedLoadRouter} on {@link RingRouter}'s ring. Immutable. Not API. */
public final class BoundedLoadRing<N> extends RingRouter<N> implements BoundedLoadRouter<N> {
  private final double totalWeight;

  public BoundedLoadRing(RouterConfig<N> config, List<N> nodes, double[] weights) {
    super(config, nodes, weights);
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    this.totalWeight = sum;
  }

  @Override
  public double capacityFactor() {
    return config.capacityFactor();
  }

  private long capacityAt(int index, long totalLoad) {
    return (long) Math.ceil(config.capacityFactor() * (totalLoad + 1) * weights[index] / totalWeight);
  }

  @Override
  public long capacity(N node, long totalLoad) {
    if (totalLoad < 0) {
      throw new IllegalArgumentException("totalLoad: " + totalLoad + " (expected: >= 0)");
    }
    return capacityAt(indexOrThrow(node), totalLoad);
  }

  @Override
  public N route(long keyHash, ToLongFunction<? super N> load, long totalLoad) {
    Objects.requireNonNull(load, "load");
    if (totalLoad < 0) {
      throw new IllegalArgumentException("totalLoad: " + totalLoad + " (expected: >= 0)");
    }
    if (nodes.isEmpty()) {
      throw new IllegalStateException("no nodes: this BOUNDED_LOAD router has no node to route to");
    }
    long[] points = ring.points;
    int start = ring.slot(keyHash);
    for (int step = 0; step < points.length; step++) {
      int s = start + step;
      if (s >= points.length) {
        s -= points.length;
      }
      int owner = ring.owner(s);
      N node = nodes.get(owner);
      if (load.applyAsLong(node) < capacityAt(owner, totalLoad)) {
        return node;
      }
    }
    return nodes.get(ring.owner(start));
  }

  @Override
  public N route(CharSequence key, ToLongFunction<? super N> load, long totalLoad) {
    return route(KeyHash.hash(Objects.requireNonNull(key, "key")), load, totalLoad);
  }

  @Override
  public BoundedLoadRouter<N> withNode(N node) {
    return (BoundedLoadRouter<N>) super.withNode(node);
  }

  @Override
  public BoundedLoadRouter<N> withNode(N node, double weight) {
    return (BoundedLoadRouter<N>) super.withNode(node, weight);
  }

  @Override
  public BoundedLoadRouter<N> withoutNode(N node) {
    return (BoundedLoadRouter<N>) super.withoutNode(node);
  }

  @Override
  public BoundedLoadRouter<N> withWeight(N node, double weight) {
    return (BoundedLoadRouter<N>) super.withWeight(node, weight);
  }
}
