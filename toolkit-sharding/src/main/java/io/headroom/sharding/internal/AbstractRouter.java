package io.headroom.sharding.internal;

import io.headroom.sharding.Algorithm;
import io.headroom.sharding.KeyHash;
import io.headroom.sharding.ShardRouter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What every router shares: the node list, weights, validation, replica lists and the
 * copy-on-change {@code with...} methods. Subclasses map a 64-bit hash to a node index. Immutable.
 * Not API.
 */
public abstract class AbstractRouter<N> implements ShardRouter<N> {
  protected final RouterConfig<N> config;
  protected final List<N> nodes;
  protected final double[] weights;
  private final Map<N, Integer> indexByNode;

  protected AbstractRouter(RouterConfig<N> config, List<N> nodes, double[] weights) {
    this.config = config;
    this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    this.weights = weights.clone();
    Map<N, Integer> index = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < this.nodes.size(); i++) {
      N node = this.nodes.get(i);
      if (index.put(node, i) != null) {
        throw new IllegalArgumentException("duplicate node: " + node);
      }
      if (!names.add(name(node))) {
        throw new IllegalArgumentException(
            "duplicate node name: " + name(node) + " (of node " + node + "; names are hashed, so they must differ)");
      }
      checkWeight(config, node, weights[i]);
    }
    this.indexByNode = index;
  }

  /** Throws if {@code weight} is not allowed for {@code node} under {@code config}. */
  public static void checkWeight(RouterConfig<?> config, Object node, double weight) {
    if (!(weight > 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException(
          "weight of node " + node + ": " + weight + " (expected: finite and > 0)");
    }
    if (weight != 1.0 && !config.supportsWeights()) {
      throw new IllegalStateException(
          "weight of node " + node + ": " + weight + " (" + config.algorithm() + " does not support weights; expected: 1.0)");
    }
  }

  protected final String name(N node) {
    return Objects.requireNonNull(config.nodeName().apply(node), "nodeName returned null");
  }

  /** The index (into {@link #nodeAt}) of the node for a hash; called only when there are nodes. */
  protected abstract int index(long hash);

  /**
   * Fills {@code out} with distinct node indices in preference order, {@code out[0] ==
   * index(hash)}; {@code out.length <= } the node count.
   */
  protected abstract void preference(long hash, int[] out);

  /** The node at an index returned by {@link #index}. */
  protected N nodeAt(int index) {
    return nodes.get(index);
  }

  /** How many indices {@link #index} may return (the size of a "seen" array). */
  protected int indexSpace() {
    return nodes.size();
  }

  /** Builds a router of the same algorithm and settings over other nodes. */
  protected ShardRouter<N> rebuild(List<N> newNodes, double[] newWeights) {
    return Routers.create(config, newNodes, newWeights);
  }

  protected long hashKey(byte[] key) {
    return KeyHash.hash(key);
  }

  protected long hashKey(CharSequence key) {
    return KeyHash.hash(key);
  }

  private void requireNodes() {
    if (nodes.isEmpty()) {
      throw new IllegalStateException("no nodes: this " + config.algorithm() + " router has no node to route to");
    }
  }

  @Override
  public final N route(long keyHash) {
    requireNodes();
    return nodeAt(index(keyHash));
  }

  @Override
  public final N route(byte[] key) {
    Objects.requireNonNull(key, "key");
    requireNodes();
    return nodeAt(index(hashKey(key)));
  }

  @Override
  public final N route(CharSequence key) {
    Objects.requireNonNull(key, "key");
    requireNodes();
    return nodeAt(index(hashKey(key)));
  }

  @Override
  public final List<N> route(long keyHash, int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 1)");
    }
    requireNodes();
    int[] out = new int[Math.min(replicas, nodes.size())];
    preference(keyHash, out);
    List<N> result = new ArrayList<>(out.length);
    for (int i : out) {
      result.add(nodeAt(i));
    }
    return Collections.unmodifiableList(result);
  }

  @Override
  public final List<N> route(byte[] key, int replicas) {
    Objects.requireNonNull(key, "key");
    return route(hashKey(key), replicas);
  }

  @Override
  public final List<N> route(CharSequence key, int replicas) {
    Objects.requireNonNull(key, "key");
    return route(hashKey(key), replicas);
  }

  @Override
  public final Algorithm algorithm() {
    return config.algorithm();
  }

  @Override
  public final List<N> nodes() {
    return nodes;
  }

  protected final int indexOrThrow(N node) {
    Objects.requireNonNull(node, "node");
    Integer i = indexByNode.get(node);
    if (i == null) {
      throw new IllegalArgumentException("node: " + node + " (not in this router)");
    }
    return i;
  }

  @Override
  public final double weight(N node) {
    return weights[indexOrThrow(node)];
  }

  @Override
  public ShardRouter<N> withNode(N node) {
    return withNode(node, 1.0);
  }

  @Override
  public ShardRouter<N> withNode(N node, double weight) {
    Objects.requireNonNull(node, "node");
    if (indexByNode.containsKey(node)) {
      throw new IllegalArgumentException("node: " + node + " (already in this router)");
    }
    checkWeight(config, node, weight);
    List<N> newNodes = new ArrayList<>(nodes);
    newNodes.add(node);
    double[] newWeights = Arrays.copyOf(weights, weights.length + 1);
    newWeights[weights.length] = weight;
    return rebuild(newNodes, newWeights);
  }

  @Override
  public ShardRouter<N> withoutNode(N node) {
    int i = indexOrThrow(node);
    List<N> newNodes = new ArrayList<>(nodes);
    newNodes.remove(i);
    double[] newWeights = new double[weights.length - 1];
    System.arraycopy(weights, 0, newWeights, 0, i);
    System.arraycopy(weights, i + 1, newWeights, i, weights.length - i - 1);
    return rebuild(newNodes, newWeights);
  }

  @Override
  public ShardRouter<N> withWeight(N node, double weight) {
    int i = indexOrThrow(node);
    checkWeight(config, node, weight);
    double[] newWeights = weights.clone();
    newWeights[i] = weight;
    return rebuild(nodes, newWeights);
  }

  /** Adds {@code candidate} to {@code out[0..filled)} if absent; returns the new fill. */
  protected static int addDistinct(int[] out, int filled, int candidate, boolean @org.jspecify.annotations.Nullable [] seen) {
    if (seen != null) {
      if (seen[candidate]) {
        return filled;
      }
      seen[candidate] = true;
    } else {
      for (int j = 0; j < filled; j++) {
        if (out[j] == candidate) {
          return filled;
        }
      }
    }
    out[filled] = candidate;
    return filled + 1;
  }

  /** A "seen" array when many replicas are asked for, else null (linear scan is cheaper). */
  protected boolean @org.jspecify.annotations.Nullable [] seenArray(int wanted) {
    return wanted > 16 ? new boolean[indexSpace()] : null;
  }

  @Override
  public String toString() {
    return config.algorithm() + "Router" + nodes;
  }
}
