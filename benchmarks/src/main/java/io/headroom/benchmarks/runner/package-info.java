/**
 * The suite runner behind {@code java -jar benchmarks.jar}: command-line options, discovery of
 * JMH benchmarks and scenarios, running them with progress lines, Redis for the run, and the
 * collected outcomes. Not API: only the command line and the report are promised.
 */
@NullMarked
package io.headroom.benchmarks.runner;

import org.jspecify.annotations.NullMarked;
