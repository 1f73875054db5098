package io.headroom.sharding.internal;

import io.headroom.sharding.ShardRouter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * AnchorHash (Mendelson et al., "AnchorHash: A Scalable Consistent Hash", IEEE/ACM Transactions on
 * Networking 2020, Algorithm 3): a fixed anchor of {@code a} buckets, of which the working ones
 * hold nodes. A key starts at bucket {@code hash mod a}; while that bucket is removed it rehashes
 * into the working set as it was when the bucket left ({@code A[b]} buckets) and follows the
 * replacement chain {@code K}. Removing a node moves only its keys; adding one back takes the most
 * recently freed bucket, restoring those keys. When no bucket is free, adding a node rebuilds the
 * anchor at twice the size (most keys move; documented on {@code anchorCapacity}).
 *
 * <p>State depends on the order of removals, so it is copied, not recomputed, into each new
 * snapshot. Immutable. Not API.
 */
public final class AnchorRouter<N> extends AbstractRouter<N> {
  private final int[] a; // 0 for a working bucket, else the working-set size when it was removed
  private final int[] w; // the working set, W[0..n) in the paper
  private final int[] l; // position of a bucket in w
  private final int[] k; // successor of a removed bucket
  private final int[] removed; // the stack R of removed buckets
  private final int removedCount;
  private final int working;
  private final @Nullable Object[] bucketNodes;

  /** A fresh anchor of {@code config.anchorCapacity()} buckets with nodes in buckets 0..n-1. */
  public AnchorRouter(RouterConfig<N> config, List<N> nodes, double[] weights) {
    super(config, nodes, weights);
    int capacity = config.anchorCapacity();
    if (nodes.size() > capacity) {
      throw new IllegalArgumentException("nodes: " + nodes.size() + " (expected: <= anchorCapacity " + capacity + ")");
    }
    a = new int[capacity];
    w = new int[capacity];
    l = new int[capacity];
    k = new int[capacity];
    removed = new int[capacity];
    bucketNodes = new Object[capacity];
    int count = 0;
    for (int b = 0; b < capacity; b++) {
      w[b] = b;
      l[b] = b;
      k[b] = b;
    }
    for (int b = capacity - 1; b >= nodes.size(); b--) {
      removed[count++] = b;
      a[b] = b;
    }
    for (int i = 0; i < nodes.size(); i++) {
      bucketNodes[i] = nodes.get(i);
    }
    removedCount = count;
    working = nodes.size();
  }

  private AnchorRouter(
      AnchorRouter<N> from, List<N> liveNodes, int[] a, int[] w, int[] l, int[] k, int[] removed,
      int removedCount, int working, @Nullable Object[] bucketNodes) {
    super(from.config, liveNodes, ones(liveNodes.size()));
    this.a = a;
    this.w = w;
    this.l = l;
    this.k = k;
    this.removed = removed;
    this.removedCount = removedCount;
    this.working = working;
    this.bucketNodes = bucketNodes;
  }

  private static double[] ones(int n) {
    double[] d = new double[n];
    Arrays.fill(d, 1.0);
    return d;
  }

  private int bucketOf(long hash) {
    int b = XxHash64.range(hash, a.length);
    while (a[b] > 0) {
      int h = XxHash64.range(XxHash64.mix(hash + (b + 1) * 0x9E3779B97F4A7C15L), a[b]);
      while (a[h] >= a[b]) {
        h = k[h];
      }
      b = h;
    }
    return b;
  }

  @Override
  protected int index(long hash) {
    return bucketOf(hash);
  }

  @Override
  protected int indexSpace() {
    return a.length;
  }

  @Override
  @SuppressWarnings("unchecked") // bucketNodes holds only N, and only null for removed buckets
  protected N nodeAt(int index) {
    return (N) java.util.Objects.requireNonNull(bucketNodes[index]);
  }

  @Override
  protected void preference(long hash, int[] out) {
    boolean[] seen = seenArray(out.length);
    int filled = AbstractRouter.addDistinct(out, 0, bucketOf(hash), seen);
    for (long attempt = 1; filled < out.length && attempt <= 8L * working + 64; attempt++) {
      filled = AbstractRouter.addDistinct(out, filled, bucketOf(XxHash64.mix(hash + attempt * 0xC2B2AE3D27D4EB4FL)), seen);
    }
    for (int i = 0; filled < out.length; i++) {
      filled = AbstractRouter.addDistinct(out, filled, w[i], seen);
    }
  }

  private List<N> liveNodes(@Nullable Object[] buckets) {
    List<N> live = new ArrayList<>();
    for (Object o : buckets) {
      if (o != null) {
        @SuppressWarnings("unchecked") // only N is stored
        N n = (N) o;
        live.add(n);
      }
    }
    return live;
  }

  @Override
  public ShardRouter<N> withoutNode(N node) {
    indexOrThrow(node);
    int b = -1;
    for (int i = 0; i < bucketNodes.length; i++) {
      if (node.equals(bucketNodes[i])) {
        b = i;
      }
    }
    int[] na = a.clone();
    int[] nw = w.clone();
    int[] nl = l.clone();
    int[] nk = k.clone();
    int[] nr = removed.clone();
    Object[] nb = bucketNodes.clone();
    // REMOVEBUCKET(b) of the paper
    nr[removedCount] = b;
    int n = working - 1;
    na[b] = n;
    nw[nl[b]] = nw[n];
    nl[nw[n]] = nl[b];
    nk[b] = nw[n];
    nb[b] = null;
    return new AnchorRouter<>(this, liveNodes(nb), na, nw, nl, nk, nr, removedCount + 1, n, nb);
  }

  @Override
  public ShardRouter<N> withNode(N node, double weight) {
    java.util.Objects.requireNonNull(node, "node");
    if (nodes.contains(node)) {
      throw new IllegalArgumentException("node: " + node + " (already in this router)");
    }
    AbstractRouter.checkWeight(config, node, weight);
    if (removedCount == 0) { // anchor full: a bigger anchor, most keys move
      List<N> grown = new ArrayList<>(nodes);
      grown.add(node);
      return new AnchorRouter<>(config.withAnchorCapacity(Math.max(16, 2 * grown.size())), grown, ones(grown.size()));
    }
    int[] na = a.clone();
    int[] nw = w.clone();
    int[] nl = l.clone();
    int[] nk = k.clone();
    Object[] nb = bucketNodes.clone();
    // ADDBUCKET() of the paper
    int b = removed[removedCount - 1];
    na[b] = 0;
    nl[nw[working]] = working;
    nw[nl[b]] = b;
    nk[b] = b;
    nb[b] = node;
    return new AnchorRouter<>(this, liveNodes(nb), na, nw, nl, nk, removed.clone(), removedCount - 1, working + 1, nb);
  }

  @Override
  public ShardRouter<N> withWeight(N node, double weight) {
    indexOrThrow(node);
    AbstractRouter.checkWeight(config, node, weight);
    return this; // weight 1.0 is the only one allowed, and it is already 1.0
  }

  @Override
  protected ShardRouter<N> rebuild(List<N> newNodes, double[] newWeights) {
    return new AnchorRouter<>(config, newNodes, newWeights);
  }
}
