package io.headroom.sharding;

import java.util.function.ToLongFunction;

/**
 * A {@link ShardRouter} for consistent hashing with bounded loads (Mirrokni, Thorup and
 * Zadimoghaddam, "Consistent Hashing with Bounded Loads", SODA 2018): a key walks the ring from
 * its hash and takes the first node whose load is below its capacity
 * {@code ceil(c × (totalLoad + 1) × w / Σw)}, so no node carries more than about {@code c} times
 * its share while keys still move little when nodes change. The caller tracks the loads (open
 * connections, assigned sessions) and passes them in; {@link LoadTracker} is a thread-safe tracker
 * for callers that have none. Without loads ({@link #route(long)}), it routes as a plain ring.
 *
 * <p>Immutable and thread-safe; {@code route} allocates nothing (as long as the load function
 * does not). Cost: a ring lookup plus one step per point skipped; the walk ends after every point
 * was visited, returning the ring's first choice if every node is at capacity (only possible when
 * the loads passed do not add up to {@code totalLoad}).
 *
 * @param <N> the node type
 */
public interface BoundedLoadRouter<N> extends ShardRouter<N> {

  /** The capacity factor c (> 1; default 1.25). */
  double capacityFactor();

  /**
   * The capacity of {@code node} when {@code totalLoad} units are placed and one more is being
   * placed: {@code ceil(c × (totalLoad + 1) × weight / Σweights)}.
   *
   * @throws IllegalArgumentException if {@code node} is absent or {@code totalLoad < 0}
   */
  long capacity(N node, long totalLoad);

  /**
   * The node for a pre-hashed key given the current loads: the first node clockwise from the key
   * whose {@code load.applyAsLong(node)} is below its {@link #capacity}.
   *
   * @param load the current load of a node (≥ 0)
   * @param totalLoad the sum of the loads of all nodes (≥ 0)
   * @throws IllegalStateException if there are no nodes
   * @throws IllegalArgumentException if {@code totalLoad < 0}
   */
  N route(long keyHash, ToLongFunction<? super N> load, long totalLoad);

  /** As {@link #route(long, ToLongFunction, long)} for a key hashed with {@link KeyHash}. */
  N route(CharSequence key, ToLongFunction<? super N> load, long totalLoad);

  @Override
  BoundedLoadRouter<N> withNode(N node);

  @Override
  BoundedLoadRouter<N> withNode(N node, double weight);

  @Override
  BoundedLoadRouter<N> withoutNode(N node);

  @Override
  BoundedLoadRouter<N> withWeight(N node, double weight);
}
