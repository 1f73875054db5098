/**
 * Benchmarks of toolkit-async's dispatcher against ThreadPoolExecutor, ForkJoinPool and the LMAX
 * Disruptor: JMH throughput, and scenarios for submit latency, queue wait and idle cost.
 */
@NullMarked
package io.headroom.benchmarks.async;

import org.jspecify.annotations.NullMarked;
