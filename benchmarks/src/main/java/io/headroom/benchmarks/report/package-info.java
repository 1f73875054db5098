/**
 * Writes a run's report: {@code report.md}, a self-contained {@code report.html} with inline SVG
 * charts, the charts as {@code .svg} files, and the terminal summary. Not API.
 */
@NullMarked
package io.headroom.benchmarks.report;

import org.jspecify.annotations.NullMarked;
