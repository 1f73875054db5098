package io.headroom.sharding.internal;

import io.headroom.sharding.ShardRouter;
import io.headroom.sharding.snippet.JumpHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jump consistent hash over the node list (node i = bucket i). Replicas: bucket of the key, then
 * of the key rehashed with 1, 2, ... (distinct buckets only). Removing a node other than the last
 * moves the last node into the freed bucket. Immutable. Not API.
 */
public final class JumpRouter<N> extends AbstractRouter<N> {

  public JumpRouter(RouterConfig<N> config, List<N> nodes, double[] weights) {
    super(config, nodes, weights);
  }

  @Override
  protected int index(long hash) {
    return JumpHash.bucket(hash, nodes.size());
  }

  @Override
  protected void preference(long hash, int[] out) {
    boolean[] seen = seenArray(out.length);
    int filled = AbstractRouter.addDistinct(out, 0, index(hash), seen);
    int n = nodes.size();
    // Rehash until enough distinct buckets; after 8n tries (astronomically unlikely to be
    // needed) fill in bucket order so the call always ends.
    for (long attempt = 1; filled < out.length && attempt <= 8L * n + 64; attempt++) {
      filled = AbstractRouter.addDistinct(out, filled, JumpHash.bucket(XxHash64.mix(hash + attempt * 0x9E3779B97F4A7C15L), n), seen);
    }
    for (int b = 0; filled < out.length; b++) {
      filled = AbstractRouter.addDistinct(out, filled, b, seen);
    }
  }

  @Override
  public ShardRouter<N> withoutNode(N node) {
    int i = indexOrThrow(node);
    int last = nodes.size() - 1;
    List<N> newNodes = new ArrayList<>(nodes);
    if (i != last) {
      newNodes.set(i, nodes.get(last)); // the last bucket's node takes over bucket i
    }
    newNodes.remove(last);
    return new JumpRouter<>(config, newNodes, Arrays.copyOf(weights, last));
  }
}
