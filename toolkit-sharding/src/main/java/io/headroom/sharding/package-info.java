/**
 * Headroom's consistent-hash shard routers: immutable snapshots that map a key to a
 * node (or to N distinct replicas) with stable 64-bit hashing, behind one interface.
 *
 * <p>The public API lives in this package; {@code io.headroom.sharding.internal} holds the
 * implementation and is not part of the API. Arguments are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package io.headroom.sharding;

import org.jspecify.annotations.NullMarked;
