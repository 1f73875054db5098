package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.headroom.benchmarks.report.BenchmarkOutcome;
import io.headroom.benchmarks.report.Comparisons;
import io.headroom.benchmarks.report.QuestionOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.util.Optional;

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
    assertThat(SuiteRunner.FORK_OVERHEAD_SECONDS).isEqualTo(1.5);
    assertThat(SuiteRunner.QUICK_SCENARIO_SECONDS).isEqualTo(10);
    // 10 runs of 1 fork x (1.5 s + 3 x 1 s) = 45 s: fits as is.
    assertThat(SuiteRunner.fitToBudget(quick, 10, 4)).isEqualTo(quick);
    // 400 runs, 6 scenarios: 600 - 60 - 30 = 510 s for 400 runs: (1.275 - 1.5) / 3 < 0, so the minimum.
    assertThat(SuiteRunner.fitToBudget(quick, 400, 6).iterationTime()).isEqualTo(RunProfile.MIN_ITERATION_TIME);
    // 80 runs, 4 scenarios: 530 s / 80 = 6.6 s per run: (6.6 - 1.5) / 3 = 1.7 s > 1 s: fits.
    assertThat(SuiteRunner.fitToBudget(quick, 80, 4)).isEqualTo(quick);
    // 150 runs, 4 scenarios: 3.53 s per run: (3.53 - 1.5) / 3 = 678 ms, rounded down to 600 ms.
    RunProfile fitted = SuiteRunner.fitToBudget(quick, 150, 4);
    assertThat(fitted.iterationTime()).isEqualTo(Duration.ofMillis(600));
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
  void pinnedPeersAreRepeatedForEveryValueOfTheParamTheyDoNotDependOn() {
    Map<String, String[]> params = new java.util.LinkedHashMap<>();
    params.put("algorithm", new String[] {"RING", "JUMP"});
    params.put("nodes", new String[] {"10"});
    BenchmarkCatalog.BenchmarkClass c = new BenchmarkCatalog.BenchmarkClass("x.Q", "Q?", "",
        List.of(entry("headroomLookup", params), entry("guavaLookup", params)), List.of("algorithm"));
    BenchmarkOutcome ring = BenchmarkOutcome.measured("x.Q", "headroomLookup", "avgt",
        Map.of("algorithm", "RING", "nodes", "10"), 10, 1, "ns/op", 0.0);
    BenchmarkOutcome jump = BenchmarkOutcome.measured("x.Q", "headroomLookup", "avgt",
        Map.of("algorithm", "JUMP", "nodes", "10"), 20, 1, "ns/op", 0.0);
    BenchmarkOutcome guava = BenchmarkOutcome.measured("x.Q", "guavaLookup", "avgt",
        Map.of("algorithm", "RING", "nodes", "10"), 40, 2, "ns/op", 16.0);

    List<BenchmarkOutcome> expanded =
        SuiteRunner.expandPinnedPeers(c, List.of(ring, jump, guava), c.pinnedPeerParams());

    assertThat(expanded).hasSize(4).startsWith(ring, jump, guava);
    BenchmarkOutcome copy = expanded.get(3);
    assertThat(copy.method()).isEqualTo("guavaLookup");
    assertThat(copy.params()).containsExactly(Map.entry("algorithm", "JUMP"), Map.entry("nodes", "10"));
    assertThat(copy.score()).isEqualTo(40);
    assertThat(copy.bytesPerOp()).isEqualTo(16.0);
    // Each Headroom result now has the peer beside it: 40/10 and 40/20.
    QuestionOutcome q = new QuestionOutcome("x.Q", "Q?", "", expanded, null, 1, "s");
    assertThat(Comparisons.ratios(q).values()).flatExtracting(r -> r).extracting(Comparisons.Ratio::value)
        .containsExactlyInAnyOrder(4.0, 2.0);
    // Nothing pinned: unchanged.
    assertThat(SuiteRunner.expandPinnedPeers(c, List.of(ring, guava), Map.of())).containsExactly(ring, guava);
  }

  @Test
  void theTwoJmhJsonArraysOfAPinnedQuestionAreJoinedIntoOneFile(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("q.json");
    Path peers = dir.resolve("q.json.peers");
    Files.writeString(target, "[\n  {\"benchmark\": \"a\"}\n]\n");
    Files.writeString(peers, "[\n  {\"benchmark\": \"b\"}\n]\n");
    SuiteRunner.joinJsonArrays(target, peers);
    assertThat(Files.exists(peers)).isFalse();
    String joined = Files.readString(target);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(joined).size()).isEqualTo(2);
    assertThat(joined).contains("\"a\"", "\"b\"");

    // The Headroom run wrote nothing (it failed): the peers' array alone.
    Files.delete(target);
    Files.writeString(peers, "[\n  {\"benchmark\": \"b\"}\n]\n");
    SuiteRunner.joinJsonArrays(target, peers);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(target)).size()).isEqualTo(1);

    // The peers' run wrote an empty array: the first file is left as it was.
    Files.writeString(peers, "[\n]\n");
    SuiteRunner.joinJsonArrays(target, peers);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(target)).size()).isEqualTo(1);
  }

  private static org.openjdk.jmh.runner.BenchmarkListEntry entry(String method, Map<String, String[]> params) {
    return new org.openjdk.jmh.runner.BenchmarkListEntry("x.Q", "x.jmh_generated.Q_" + method + "_jmhTest", method,
        org.openjdk.jmh.annotations.Mode.AverageTime, Optional.none(), new int[] {1}, Optional.none(),
        Optional.none(), Optional.none(), Optional.none(), Optional.none(), Optional.none(), Optional.none(),
        Optional.none(), Optional.none(), Optional.none(), Optional.none(), Optional.none(), Optional.none(),
        Optional.of(params), Optional.none(), Optional.none(), Optional.none());
  }

  @Test
  void nothingSelectedIsAnErrorWithoutAResultsDirectory() {
    assertThat(execute("--include", "^no-such-thing$")).isEqualTo(1);
    assertThat(err()).isEqualTo("Nothing to run: no benchmark or scenario matches --include. See --list.\n");
    assertThat(out()).isEmpty();
  }
}
