/**
 * Benchmarks and scenarios of {@code toolkit-sharding}: lookup cost per algorithm next to Guava's
 * {@code Hashing.consistentHash} and a hand-written TreeMap ketama ring; balance, disruption,
 * memory and build time.
 */
@NullMarked
package io.headroom.benchmarks.sharding;

import org.jspecify.annotations.NullMarked;
