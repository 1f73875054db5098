/**
 * Headroom's benchmark suite: JMH benchmarks (one class per question, peers in the same class)
 * in one sub-package per toolkit module, scenarios ({@link io.headroom.benchmarks.scenario}),
 * and the runner that writes the report.
 */
@NullMarked
package io.headroom.benchmarks;

import org.jspecify.annotations.NullMarked;
