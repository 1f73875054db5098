package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteRunnerTest {

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int execute(String... args) {
    return SuiteRunner.execute(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8), Map.of());
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownFlagPrintsTheUsageAndExitsWith2() {
    assertThat(execute("--fast")).isEqualTo(2);
    assertThat(err()).startsWith("error: unknown option: --fast\n").contains(RunnerOptions.USAGE);
    assertThat(out()).isEmpty();
  }

  @Test
  void helpPrintsTheUsage() {
    assertThat(execute("--help")).isZero();
    assertThat(out()).contains("--quick", "--include REGEX", "--list", "REDIS_URL");
  }

  @Test
  void listShowsQuestionsBenchmarksAndScenariosSelectedByInclude() {
    assertThat(execute("--list", "--include", "smoke")).isZero();
    assertThat(out()).contains(
        "Does the runner report a tiny benchmark?  [io.headroom.benchmarks.smoke.SmokeBenchmark]",
        "  goal: smoke test only",
        "  * headroomSum (avgt) size=16",
        "    copyingSum (avgt) size=16",
        "  smoke.failing: Does the runner survive a failing scenario?",
        "  smoke.series [Redis]: Does the runner draw a scenario's charts?");

    outBytes.reset();
    assertThat(execute("--list", "--include", "^smoke\\.failing$")).isZero();
    assertThat(out()).contains("Questions (JMH classes): 0, benchmark runs: 0", "Scenarios: 1",
        "  smoke.failing: ").doesNotContain("smoke.series");
  }

  @Test
  void quickBudgetShortensIterationsToFitButNotBelowTheMinimum() {
    RunProfile quick = RunProfile.quick();
    // 10 runs of 1 fork x (2 s + 3 x 1 s) = 50 s: fits as is.
    assertThat(SuiteRunner.fitToBudget(quick, 10, 4)).isEqualTo(quick);
    // 200 runs, 6 scenarios: 600 - 180 - 30 = 390 s for 200 runs: (1.95 - 2) / 3 < 0, so the minimum.
    assertThat(SuiteRunner.fitToBudget(quick, 200, 6).iterationTime()).isEqualTo(RunProfile.MIN_ITERATION_TIME);
    // 80 runs, 4 scenarios: 450 s / 80 = 5.625 s per run: (5.625 - 2) / 3 = 1.2 s > 1 s: fits.
    assertThat(SuiteRunner.fitToBudget(quick, 80, 4)).isEqualTo(quick);
    // 100 runs, 4 scenarios: 4.5 s per run: (4.5 - 2) / 3 = 833 ms, rounded down to 800 ms.
    RunProfile fitted = SuiteRunner.fitToBudget(quick, 100, 4);
    assertThat(fitted.iterationTime()).isEqualTo(Duration.ofMillis(800));
    assertThat(fitted.jmhBudget()).isEqualTo(quick.jmhBudget());
    // The full run has no budget.
    assertThat(SuiteRunner.fitToBudget(RunProfile.full(), 1000, 10)).isEqualTo(RunProfile.full());
  }

  @Test
  void refitUsesTheObservedForkCostAndTheBudgetLeft() {
    RunProfile quick = RunProfile.quick();
    // 20 runs left, 100 s left, forks cost 1 s: (5 - 1) / 3 = 1.33 s, capped at the mode's 1 s.
    assertThat(SuiteRunner.refit(quick, 1, 20, 100)).isSameAs(quick);
    // Forks cost 3.5 s: (5 - 3.5) / 3 = 500 ms.
    assertThat(SuiteRunner.refit(quick, 3.5, 20, 100).iterationTime()).isEqualTo(Duration.ofMillis(500));
    // Over budget already: the minimum.
    assertThat(SuiteRunner.refit(quick, 2, 20, -10).iterationTime()).isEqualTo(RunProfile.MIN_ITERATION_TIME);
  }

  @Test
  void nothingSelectedIsAnErrorWithoutAResultsDirectory() {
    assertThat(execute("--include", "^no-such-thing$")).isEqualTo(1);
    assertThat(err()).isEqualTo("Nothing to run: no benchmark or scenario matches --include. See --list.\n");
    assertThat(out()).isEmpty();
  }
}
