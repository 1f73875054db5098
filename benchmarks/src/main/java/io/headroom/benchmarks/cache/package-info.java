/** Benchmarks and scenarios of toolkit-cache: L1/L2 hit cost, bulk reads, stampede, outage, invalidation. */
@NullMarked
package io.headroom.benchmarks.cache;

import org.jspecify.annotations.NullMarked;
