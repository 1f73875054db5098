package io.headroom.sharding;

import java.util.List;

/**
 * Maps a key to a node, or to several distinct nodes in preference order (replicas), with one of
 * the {@link Algorithm}s. Build one with {@link #builder(Algorithm)}.
 *
 * <p><b>Immutable snapshot.</b> A router never changes: {@link #withNode}, {@link #withoutNode}
 * and {@link #withWeight} return a new router and leave this one as it was, so a router can be
 * published through a {@code volatile} field or an {@code AtomicReference} and shared by any
 * number of threads with no synchronisation.
 *
 * <p><b>Keys.</b> {@code byte[]} and {@link CharSequence} keys (hashed as UTF-8) are hashed with
 * {@link KeyHash} (xxHash64, seed 0), then routed as {@link #route(long)}; a {@code long} key is
 * taken as an already well-mixed 64-bit hash (use {@link KeyHash#hash(long)} for raw ids). The
 * hash and the routing are stable across JVMs, OSes and versions of this library (golden files
 * pin them). {@link Algorithm#KETAMA} hashes keys with MD5 as ketama does, and takes the low 32
 * bits of a {@code long} key as the ketama point.
 *
 * <p><b>Cost.</b> {@link #route(long)} and {@link #route(CharSequence)} allocate nothing;
 * {@code route(key, replicas)} allocates the returned list. Lookup cost per algorithm is in
 * {@link Algorithm}.
 *
 * <p><b>Nodes.</b> Nodes are compared with {@code equals}/{@code hashCode}; where a node hashes
 * onto the ring or table, its name ({@link ShardRouterBuilder#nodeName}, default
 * {@code String.valueOf(node)}) is hashed, so two processes that name nodes alike route alike.
 *
 * @param <N> the node type
 */
public interface ShardRouter<N> {

  /** A builder for a router with the given algorithm. */
  static <N> ShardRouterBuilder<N> builder(Algorithm algorithm) {
    return new ShardRouterBuilder<>(algorithm);
  }

  /**
   * The node for a pre-hashed key.
   *
   * @throws IllegalStateException if the router has no nodes
   */
  N route(long keyHash);

  /**
   * The node for {@code key}, hashed as its bytes.
   *
   * @throws IllegalStateException if the router has no nodes
   */
  N route(byte[] key);

  /**
   * The node for {@code key}, hashed as its UTF-8 bytes without encoding them into an array.
   *
   * @throws IllegalStateException if the router has no nodes
   */
  N route(CharSequence key);

  /**
   * Up to {@code replicas} distinct nodes for a pre-hashed key, in preference order; the first is
   * {@link #route(long)}'s answer. Asking for more replicas than there are nodes returns all
   * nodes, in preference order.
   *
   * @throws IllegalArgumentException if {@code replicas < 1}
   * @throws IllegalStateException if the router has no nodes
   */
  List<N> route(long keyHash, int replicas);

  /** As {@link #route(long, int)} for a {@code byte[]} key. */
  List<N> route(byte[] key, int replicas);

  /** As {@link #route(long, int)} for a {@link CharSequence} key. */
  List<N> route(CharSequence key, int replicas);

  /** The algorithm this router uses. */
  Algorithm algorithm();

  /** The nodes, in the order they were added (for {@link Algorithm#JUMP}: bucket order). */
  List<N> nodes();

  /**
   * The weight of {@code node} (1.0 unless set).
   *
   * @throws IllegalArgumentException if {@code node} is not in this router
   */
  double weight(N node);

  /**
   * A router with {@code node} added at weight 1.0; this router is unchanged.
   *
   * @throws IllegalArgumentException if {@code node} is already in this router, or for {@link
   *     Algorithm#MAGLEV} with a set {@code maglevTableSize} that the new node count would exceed
   */
  ShardRouter<N> withNode(N node);

  /**
   * A router with {@code node} added at {@code weight}; this router is unchanged.
   *
   * @throws IllegalArgumentException if {@code node} is already present, the weight is not
   *     finite and positive, or as {@link #withNode(Object)} for a set Maglev table size
   * @throws IllegalStateException if the algorithm does not support weights and weight != 1
   */
  ShardRouter<N> withNode(N node, double weight);

  /**
   * A router without {@code node}; this router is unchanged. Removing the last node gives a
   * router whose {@code route} methods throw {@link IllegalStateException}.
   *
   * @throws IllegalArgumentException if {@code node} is not in this router
   */
  ShardRouter<N> withoutNode(N node);

  /**
   * A router where {@code node} has {@code weight}; this router is unchanged.
   *
   * @throws IllegalArgumentException if {@code node} is absent or the weight is not finite and
   *     positive
   * @throws IllegalStateException if the algorithm does not support weights and weight != 1
   */
  ShardRouter<N> withWeight(N node, double weight);
}
