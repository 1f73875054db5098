/**
 * Implementation of {@code io.headroom.sharding}: the routers, the hash functions and their
 * helpers. Not part of the API: anything here may change without notice; use the types of
 * {@code io.headroom.sharding} instead.
 */
@NullMarked
package io.headroom.sharding.internal;

import org.jspecify.annotations.NullMarked;
