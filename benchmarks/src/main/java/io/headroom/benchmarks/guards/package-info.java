/**
 * Benchmarks and scenarios of the call guards in {@code io.headroom.shedding.guard}: the cost of
 * a composed guard next to Resilience4j and Failsafe, timer accuracy, retry storms, hedging.
 */
@NullMarked
package io.headroom.benchmarks.guards;

import org.jspecify.annotations.NullMarked;
