package io.headroom.sharding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToLongFunction;

/**
 * Thread-safe load counts for a {@link BoundedLoadRouter}, for callers that have no load figures
 * of their own: {@link #acquire} places a unit of load (a connection, a session) on the node the
 * router picks given the current loads and counts it; {@link #release} takes it off.
 *
 * <p>Guarantee: a node's load is raised only from below its capacity, with a compare-and-set on
 * that node's counter, so while units are only acquired no node exceeds
 * {@code ceil(c × total × w / Σw)}; concurrent acquirers that lose a race route again. Lock-free;
 * {@code acquire} and {@code release} allocate nothing.
 *
 * <p>A tracker belongs to one router snapshot (its node set is fixed); after changing the nodes,
 * create a tracker for the new router and move units as you re-place them.
 *
 * @param <N> the node type
 */
public final class LoadTracker<N> {
  private final BoundedLoadRouter<N> router;
  private final List<N> nodes;
  private final Map<N, Integer> index = new HashMap<>();
  private final AtomicLongArray loads;
  private final AtomicLong total = new AtomicLong();
  private final ToLongFunction<N> loadFunction;

  private LoadTracker(BoundedLoadRouter<N> router) {
    this.router = router;
    this.nodes = router.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i), i);
    }
    this.loads = new AtomicLongArray(nodes.size());
    this.loadFunction = this::load;
  }

  /** A tracker with every node at load 0. */
  public static <N> LoadTracker<N> of(BoundedLoadRouter<N> router) {
    return new LoadTracker<>(Objects.requireNonNull(router, "router"));
  }

  /**
   * Places one unit for a pre-hashed key and returns its node.
   *
   * @throws IllegalStateException if the router has no nodes
   */
  public N acquire(long keyHash) {
    while (true) {
      long t = total.get();
      N node = router.route(keyHash, loadFunction, t);
      int i = indexOf(node);
      long current = loads.get(i);
      // The CAS makes "below capacity" and "+1" one step; on failure another thread changed
      // this node's load, so route again with fresh figures.
      if (current < router.capacity(node, t) && loads.compareAndSet(i, current, current + 1)) {
        total.incrementAndGet();
        return node;
      }
      Thread.onSpinWait();
    }
  }

  /** As {@link #acquire(long)} for a key hashed with {@link KeyHash}. */
  public N acquire(CharSequence key) {
    return acquire(KeyHash.hash(Objects.requireNonNull(key, "key")));
  }

  /**
   * Takes one unit off {@code node}.
   *
   * @throws IllegalArgumentException if {@code node} is not in the router
   * @throws IllegalStateException if {@code node} has no load (a release without an acquire)
   */
  public void release(N node) {
    int i = indexOf(node);
    while (true) {
      long current = loads.get(i);
      if (current == 0) {
        throw new IllegalStateException("release of node " + node + " with load 0 (more releases than acquires)");
      }
      if (loads.compareAndSet(i, current, current - 1)) {
        total.decrementAndGet();
        return;
      }
    }
  }

  /**
   * The current load of {@code node}.
   *
   * @throws IllegalArgumentException if {@code node} is not in the router
   */
  public long load(N node) {
    return loads.get(indexOf(node));
  }

  /** The sum of all loads (may lag a concurrent acquire or release by a moment). */
  public long total() {
    return total.get();
  }

  private int indexOf(N node) {
    Integer i = index.get(Objects.requireNonNull(node, "node"));
    if (i == null) {
      throw new IllegalArgumentException("node: " + node + " (not in this router)");
    }
    return i;
  }
}
