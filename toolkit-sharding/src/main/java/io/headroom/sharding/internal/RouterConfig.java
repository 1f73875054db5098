package io.headroom.sharding.internal;

import io.headroom.sharding.Algorithm;
import java.util.function.Function;

/**
 * The validated settings of a router, carried from one snapshot to the next. Not API.
 *
 * @param virtualNodes points per unit weight for RING and BOUNDED_LOAD
 * @param maglevTableSize the Maglev table size (a prime), 0 for the default
 * @param capacityFactor the bounded-load capacity factor c
 * @param anchorCapacity the AnchorHash capacity, 0 for the default
 * @param nodeName how a node is named for hashing
 */
public record RouterConfig<N>(
    Algorithm algorithm,
    int virtualNodes,
    int maglevTableSize,
    double capacityFactor,
    int anchorCapacity,
    Function<? super N, String> nodeName) {

  /** A copy with another Maglev table size. */
  public RouterConfig<N> withMaglevTableSize(int size) {
    return new RouterConfig<>(algorithm, virtualNodes, size, capacityFactor, anchorCapacity, nodeName);
  }

  /** A copy with another anchor capacity. */
  public RouterConfig<N> withAnchorCapacity(int capacity) {
    return new RouterConfig<>(algorithm, virtualNodes, maglevTableSize, capacityFactor, capacity, nodeName);
  }

  /** Whether the algorithm honours weights other than 1. */
  public boolean supportsWeights() {
    return algorithm != Algorithm.JUMP && algorithm != Algorithm.ANCHOR;
  }
}
