package io.headroom.benchmarks.report;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One JMH benchmark method for one set of {@code @Param} values: its score, or why it failed.
 * Immutable.
 *
 * @param className the benchmark class, fully qualified
 * @param method the {@code @Benchmark} method
 * @param mode JMH's short mode name: {@code avgt}, {@code thrpt}, {@code sample}, {@code ss}
 * @param params the {@code @Param} values, sorted by name
 * @param failure why it failed; null when it has a score
 * @param score the primary score (NaN when failed)
 * @param error the 99.9% confidence half-width (NaN when unknown)
 * @param unit the score's unit, e.g. {@code ns/op} or {@code ops/s}
 * @param bytesPerOp bytes allocated per operation from the GC profiler, if it ran
 */
public record BenchmarkOutcome(
    String className,
    String method,
    String mode,
    Map<String, String> params,
    @Nullable String failure,
    double score,
    double error,
    String unit,
    @Nullable Double bytesPerOp) {

  public BenchmarkOutcome {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(mode, "mode");
    params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    Objects.requireNonNull(unit, "unit");
  }

  /** A measured benchmark. */
  public static BenchmarkOutcome measured(String className, String method, String mode,
      Map<String, String> params, double score, double error, String unit, @Nullable Double bytesPerOp) {
    return new BenchmarkOutcome(className, method, mode, params, null, score, error, unit, bytesPerOp);
  }

  /** A benchmark that failed, with the first line of the reason. */
  public static BenchmarkOutcome failed(String className, String method, String mode,
      Map<String, String> params, String failure) {
    return new BenchmarkOutcome(className, method, mode, params, failure, Double.NaN, Double.NaN, "", null);
  }

  public boolean isFailed() {
    return failure != null;
  }

  /** Headroom's own benchmarks are the methods whose names start with {@code headroom}. */
  public boolean isHeadroom() {
    return isHeadroomMethod(method);
  }

  /** Whether a {@code @Benchmark} method (its simple name) measures Headroom; see {@code @Question}. */
  public static boolean isHeadroomMethod(String method) {
    return method.startsWith("headroom");
  }

  /** Whether a higher score is better (throughput) rather than lower (time per operation). */
  public boolean higherIsBetter() {
    return "thrpt".equals(mode) || unit.endsWith("/s") || unit.endsWith("/ms") || unit.endsWith("/us")
        || unit.endsWith("/ns") || unit.endsWith("/min");
  }

  /** {@code size=1000, threads=4}, or {@code -} when there are no parameters. */
  public String paramsText() {
    if (params.isEmpty()) {
      return "-";
    }
    return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** The key that groups the benchmarks that are compared with one another. */
  public String comparisonKey() {
    return mode + "|" + paramsText();
  }

  /** {@code 12.3 ± 0.4}, with precision chosen for the magnitude. */
  public String scoreText() {
    if (isFailed()) {
      return "FAILED";
    }
    String s = Numbers.format(score);
    return Double.isNaN(error) ? s : s + " ± " + Numbers.format(error);
  }

  /** Bytes per operation rounded, or {@code -} when the GC profiler did not run. */
  public String bytesPerOpText() {
    Double b = bytesPerOp;
    if (b == null || b.isNaN()) {
      return "-";
    }
    return b < 10 ? String.format(Locale.ROOT, "%.1f", b) : String.format(Locale.ROOT, "%.0f", b);
  }
}
