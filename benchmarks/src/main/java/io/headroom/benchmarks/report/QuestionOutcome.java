package io.headroom.benchmarks.report;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one JMH benchmark class, which answers one question. Immutable.
 *
 * @param className the class, fully qualified
 * @param question the class's {@code @Question}, or its simple name when it has none
 * @param goal the goal the question states; empty if none
 * @param benchmarks every benchmark method for every {@code @Param} combination, in run order
 * @param jsonFile the raw JMH JSON, relative to the results directory; null if none was written
 * @param seconds how long the class took
 * @param runSettings the JMH settings it ran with, e.g. {@code 1 fork × (1 warmup + 2) × 1s}
 */
public record QuestionOutcome(
    String className,
    String question,
    String goal,
    List<BenchmarkOutcome> benchmarks,
    @Nullable String jsonFile,
    double seconds,
    String runSettings) {

  public QuestionOutcome {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(goal, "goal");
    benchmarks = List.copyOf(benchmarks);
    Objects.requireNonNull(runSettings, "runSettings");
  }

  /** The class name without the {@code io.headroom.benchmarks.} prefix, e.g. {@code cache.L1Hit}. */
  public String shortName() {
    String prefix = "io.headroom.benchmarks.";
    return className.startsWith(prefix) ? className.substring(prefix.length()) : className;
  }

  public long failedCount() {
    return benchmarks.stream().filter(BenchmarkOutcome::isFailed).count();
  }
}
