package io.headroom.benchmarks.report;

import io.headroom.benchmarks.scenario.ScenarioResult;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one scenario: its result, or why it failed. Immutable.
 *
 * @param id the scenario's id
 * @param question the question it answers
 * @param outputDir where its CSV files are, relative to the results directory
 * @param result what it found; null when it failed
 * @param failure why it failed; null when it passed
 * @param seconds how long it ran
 */
public record ScenarioOutcome(
    String id,
    String question,
    String outputDir,
    @Nullable ScenarioResult result,
    @Nullable String failure,
    double seconds) {

  public ScenarioOutcome {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(outputDir, "outputDir");
    if ((result == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of result and failure must be given");
    }
  }

  public boolean isFailed() {
    return failure != null;
  }
}
