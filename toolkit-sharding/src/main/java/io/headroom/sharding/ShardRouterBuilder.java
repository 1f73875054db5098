package io.headroom.sharding;

import io.headroom.sharding.internal.AbstractRouter;
import io.headroom.sharding.internal.RouterConfig;
import io.headroom.sharding.internal.Routers;
import io.headroom.sharding.snippet.MaglevTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds a {@link ShardRouter}. Settings and their defaults:
 *
 * <ul>
 *   <li>{@link #node(Object, double) node(node, weight)}: the nodes, in order (order matters for
 *       {@link Algorithm#JUMP} and {@link Algorithm#ANCHOR}: node i is bucket i); weight 1.0 by
 *       default; none by default (routing then throws {@link IllegalStateException});
 *   <li>{@link #virtualNodes(int)}: points per unit weight, {@link Algorithm#RING} and
 *       {@link Algorithm#BOUNDED_LOAD} only, default 160;
 *   <li>{@link #maglevTableSize(int)}: {@link Algorithm#MAGLEV} only, a prime; default the
 *       smallest prime ≥ 100 × nodes (at least 101). The default is kept across {@code with...}
 *       calls, so a change moves few keys, while every node has at least 20 slots; when the nodes
 *       outgrow that, the next change re-chooses it for the new count and moves most keys. A set
 *       size is always kept, and adding more nodes than slots throws {@link
 *       IllegalArgumentException}: set it (≥ 100 × the most nodes you plan) to never move most keys;
 *   <li>{@link #anchorCapacity(int)}: {@link Algorithm#ANCHOR} only, the most nodes the router
 *       can hold without a rebuild (default 2 × nodes, at least 16); adding a node beyond it
 *       rebuilds the anchor at twice the size, which moves most keys;
 *   <li>{@link #capacityFactor(double)}: {@link Algorithm#BOUNDED_LOAD} only, c > 1, default
 *       1.25;
 *   <li>{@link #nodeName(Function)}: the name hashed for a node, default {@code String::valueOf};
 *       names must be distinct. For {@link Algorithm#KETAMA} it must be the server string
 *       libmemcached hashes: {@code "host"} when the port is 11211, else {@code "host:port"}.
 * </ul>
 *
 * <p>{@link #build()} validates and copies the settings: reusing the builder cannot change a built
 * router. Not thread-safe.
 *
 * @param <N> the node type
 */
public final class ShardRouterBuilder<N> {
  private final Algorithm algorithm;
  private final List<N> nodes = new ArrayList<>();
  private final List<Double> weights = new ArrayList<>();
  private int virtualNodes = -1;
  private int maglevTableSize = -1;
  private int anchorCapacity = -1;
  private double capacityFactor = Double.NaN;
  private boolean capacityFactorSet;
  private Function<? super N, String> nodeName = String::valueOf;

  ShardRouterBuilder(Algorithm algorithm) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
  }

  /** Adds a node of weight 1.0. */
  public ShardRouterBuilder<N> node(N node) {
    return node(node, 1.0);
  }

  /** Adds a node of the given weight (validated by {@link #build()}). */
  public ShardRouterBuilder<N> node(N node, double weight) {
    nodes.add(Objects.requireNonNull(node, "node"));
    weights.add(weight);
    return this;
  }

  /** Adds nodes of weight 1.0, in iteration order. */
  public ShardRouterBuilder<N> nodes(Collection<? extends N> nodes) {
    Objects.requireNonNull(nodes, "nodes");
    for (N node : nodes) {
      node(node);
    }
    return this;
  }

  /** Points on the ring per unit of weight (RING, BOUNDED_LOAD); default 160. */
  public ShardRouterBuilder<N> virtualNodes(int virtualNodes) {
    this.virtualNodes = virtualNodes;
    return this;
  }

  /** The Maglev table size, a prime (MAGLEV); default the smallest prime ≥ 100 × nodes. */
  public ShardRouterBuilder<N> maglevTableSize(int maglevTableSize) {
    this.maglevTableSize = maglevTableSize;
    return this;
  }

  /** The AnchorHash capacity (ANCHOR); default 2 × nodes, at least 16. */
  public ShardRouterBuilder<N> anchorCapacity(int anchorCapacity) {
    this.anchorCapacity = anchorCapacity;
    return this;
  }

  /** The bounded-load capacity factor c (BOUNDED_LOAD); default 1.25. */
  public ShardRouterBuilder<N> capacityFactor(double capacityFactor) {
    this.capacityFactor = capacityFactor;
    this.capacityFactorSet = true;
    return this;
  }

  /** How a node is named for hashing; default {@code String::valueOf}. */
  public ShardRouterBuilder<N> nodeName(Function<? super N, String> nodeName) {
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    return this;
  }

  private void only(boolean set, String setting, Algorithm... algorithms) {
    if (set && !List.of(algorithms).contains(algorithm)) {
      throw new IllegalStateException(setting + " is set but applies only to " + List.of(algorithms) + ", not " + algorithm);
    }
  }

  /**
   * Builds the router.
   *
   * @throws IllegalArgumentException for a duplicate node or node name, a weight that is not finite
   *     and positive, or a setting out of range (the message names it and its value)
   * @throws IllegalStateException for a setting that does not apply to the algorithm, or a weight
   *     other than 1.0 for an algorithm without weights (JUMP, ANCHOR)
   */
  public ShardRouter<N> build() {
    only(virtualNodes != -1, "virtualNodes", Algorithm.RING, Algorithm.BOUNDED_LOAD);
    only(maglevTableSize != -1, "maglevTableSize", Algorithm.MAGLEV);
    only(anchorCapacity != -1, "anchorCapacity", Algorithm.ANCHOR);
    only(capacityFactorSet, "capacityFactor", Algorithm.BOUNDED_LOAD);
    int vnodes = virtualNodes == -1 ? 160 : virtualNodes;
    if (vnodes < 1 || vnodes > 100_000) {
      throw new IllegalArgumentException("virtualNodes: " + vnodes + " (expected: 1..100000)");
    }
    if (maglevTableSize != -1 && (maglevTableSize < Math.max(2, nodes.size()) || !MaglevTable.isPrime(maglevTableSize))) {
      throw new IllegalArgumentException(
          "maglevTableSize: " + maglevTableSize + " (expected: a prime >= the node count " + nodes.size() + ")");
    }
    if (anchorCapacity != -1 && (anchorCapacity < 1 || anchorCapacity < nodes.size())) {
      throw new IllegalArgumentException(
          "anchorCapacity: " + anchorCapacity + " (expected: >= 1 and >= the node count " + nodes.size() + ")");
    }
    double c = capacityFactorSet ? capacityFactor : 1.25;
    if (!(c > 1) || !Double.isFinite(c)) {
      throw new IllegalArgumentException("capacityFactor: " + c + " (expected: finite and > 1)");
    }
    RouterConfig<N> config = new RouterConfig<>(
        algorithm, vnodes, maglevTableSize == -1 ? 0 : maglevTableSize, c,
        anchorCapacity == -1 ? 0 : anchorCapacity, nodeName);
    double[] w = new double[weights.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(i);
      AbstractRouter.checkWeight(config, nodes.get(i), w[i]);
    }
    return Routers.create(config, List.copyOf(nodes), w);
  }

  /**
   * Builds a {@link BoundedLoadRouter}.
   *
   * @throws IllegalStateException if the algorithm is not {@link Algorithm#BOUNDED_LOAD}, or as
   *     {@link #build()}
   * @throws IllegalArgumentException as {@link #build()}
   */
  public BoundedLoadRouter<N> buildBoundedLoad() {
    if (algorithm != Algorithm.BOUNDED_LOAD) {
      throw new IllegalStateException("buildBoundedLoad() needs algorithm BOUNDED_LOAD, not " + algorithm);
    }
    return (BoundedLoadRouter<N>) build();
  }
}
