package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunnerOptionsTest {

  @Test
  void noArgumentsRunsTheFullSuiteWithTheGcProfiler() throws Exception {
    RunnerOptions o = RunnerOptions.parse();
    assertThat(o.action()).isEqualTo(RunnerOptions.Action.RUN);
    assertThat(o.profile()).isEqualTo(RunProfile.full());
    assertThat(o.profile().forks()).isEqualTo(3);
    assertThat(o.gcProfiler()).isTrue();
    assertThat(o.runBenchmarks()).isTrue();
    assertThat(o.runScenarios()).isTrue();
    assertThat(o.includes()).isEmpty();
    assertThat(o.outputRoot()).isEmpty();
  }

  @Test
  void quickIsOneForkOneWarmupTwoIterationsOfOneSecondWithinTenMinutes() throws Exception {
    RunProfile p = RunnerOptions.parse("--quick").profile();
    assertThat(p.forks()).isEqualTo(1);
    assertThat(p.warmupIterations()).isEqualTo(1);
    assertThat(p.measurementIterations()).isEqualTo(2);
    assertThat(p.iterationTime()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.quickScenarios()).isTrue();
    assertThat(p.jmhBudget()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void tuningFlagsOverrideTheMode() throws Exception {
    RunnerOptions o = RunnerOptions.parse("--quick", "--forks", "2", "--warmups", "0", "--iterations", "3",
        "--time", "500ms", "--scenario-timeout", "1m", "--no-gc", "--out", "/tmp/x", "--benchmarks-only");
    assertThat(o.profile().forks()).isEqualTo(2);
    assertThat(o.profile().warmupIterations()).isZero();
    assertThat(o.profile().measurementIterations()).isEqualTo(3);
    assertThat(o.profile().iterationTime()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.profile().jmhBudget()).isEqualTo(Duration.ZERO);
    assertThat(o.profile().scenarioTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.gcProfiler()).isFalse();
    assertThat(o.outputRoot()).contains(Path.of("/tmp/x"));
    assertThat(o.runScenarios()).isFalse();
    assertThat(o.runBenchmarks()).isTrue();
  }

  @Test
  void includesSelectByFindOnNameAndAnyPatternMayMatch() throws Exception {
    RunnerOptions o = RunnerOptions.parse("--include", "cache\\.L1", "--include", "^shedding\\.overload$");
    assertThat(o.selects("io.headroom.benchmarks.cache.L1HitBenchmark.headroomHit")).isTrue();
    assertThat(o.selects("shedding.overload")).isTrue();
    assertThat(o.selects("shedding.overload2")).isFalse();
    assertThat(o.selects("io.headroom.benchmarks.async.Dispatch.headroomOffer")).isFalse();
    assertThat(RunnerOptions.parse().selects("anything")).isTrue();
  }

  @Test
  void listAndHelp() throws Exception {
    assertThat(RunnerOptions.parse("--list").action()).isEqualTo(RunnerOptions.Action.LIST);
    assertThat(RunnerOptions.parse("--help").action()).isEqualTo(RunnerOptions.Action.HELP);
    assertThat(RunnerOptions.parse("-h", "--list").action()).isEqualTo(RunnerOptions.Action.HELP);
    assertThat(RunnerOptions.parse("--list", "-h").action()).isEqualTo(RunnerOptions.Action.HELP);
  }

  @Test
  void badCommandLinesAreUsageErrorsNamingTheProblem() {
    assertThatThrownBy(() -> RunnerOptions.parse("--quik")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option: --quik");
    assertThatThrownBy(() -> RunnerOptions.parse("quick")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option: quick");
    assertThatThrownBy(() -> RunnerOptions.parse("--include")).isInstanceOf(UsageException.class)
        .hasMessage("--include needs a value");
    assertThatThrownBy(() -> RunnerOptions.parse("--include", "--quick")).isInstanceOf(UsageException.class)
        .hasMessage("--include needs a value");
    assertThatThrownBy(() -> RunnerOptions.parse("--include", "(")).isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--include: ( is not a regular expression");
    assertThatThrownBy(() -> RunnerOptions.parse("--forks", "0")).isInstanceOf(UsageException.class)
        .hasMessage("--forks: 0 (expected: >= 1)");
    assertThatThrownBy(() -> RunnerOptions.parse("--warmups", "x")).isInstanceOf(UsageException.class)
        .hasMessage("--warmups: x (expected: an integer >= 0)");
    assertThatThrownBy(() -> RunnerOptions.parse("--time", "5")).isInstanceOf(UsageException.class)
        .hasMessage("--time: 5 (expected: a duration like 500ms, 2s or 1m)");
    assertThatThrownBy(() -> RunnerOptions.parse("--time", "0s")).isInstanceOf(UsageException.class)
        .hasMessage("--time: 0s (expected: > 0)");
    assertThatThrownBy(() -> RunnerOptions.parse("--quick", "--full")).isInstanceOf(UsageException.class)
        .hasMessage("--quick and --full conflict: choose one mode");
    assertThatThrownBy(() -> RunnerOptions.parse("--benchmarks-only", "--scenarios-only"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--benchmarks-only and --scenarios-only conflict: choose one");
  }
}
