/** Benchmarks and scenarios of toolkit-shedding's limiters (not the call guards). */
@NullMarked
package io.headroom.benchmarks.shedding;

import org.jspecify.annotations.NullMarked;
