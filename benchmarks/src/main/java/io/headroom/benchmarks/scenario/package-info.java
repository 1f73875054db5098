/** The contract between scenarios (overload, outage, stampede, rebalancing) and the runner. */
@NullMarked
package io.headroom.benchmarks.scenario;

import org.jspecify.annotations.NullMarked;
