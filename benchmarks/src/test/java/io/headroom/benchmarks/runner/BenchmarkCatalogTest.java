package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.util.Optional;

class BenchmarkCatalogTest {

  /** The smoke fixture's entry as JMH's annotation processor wrote it into test-classes. */
  private static List<BenchmarkListEntry> smokeEntries() throws Exception {
    RunnerOptions all = RunnerOptions.parse("--include", "smoke\\.SmokeBenchmark");
    return BenchmarkCatalog.load(all).classes().get(0).entries();
  }

  @Test
  void groupsTheBenchmarkListByClassAndReadsTheQuestion() throws Exception {
    BenchmarkCatalog catalog = BenchmarkCatalog.load(RunnerOptions.parse("--include", "smoke\\.SmokeBenchmark"));
    assertThat(catalog.classes()).singleElement().satisfies(c -> {
      assertThat(c.className()).isEqualTo("io.headroom.benchmarks.smoke.SmokeBenchmark");
      assertThat(c.question()).isEqualTo("Does the runner report a tiny benchmark?");
      assertThat(c.goal()).isEqualTo("smoke test only");
      assertThat(c.entries()).extracting(BenchmarkListEntry::getUsername).containsExactly(
          "io.headroom.benchmarks.smoke.SmokeBenchmark.copyingSum",
          "io.headroom.benchmarks.smoke.SmokeBenchmark.failingSum",
          "io.headroom.benchmarks.smoke.SmokeBenchmark.headroomSum");
      assertThat(c.runCount()).isEqualTo(3);
    });
  }

  @Test
  void includeSelectsMethods() throws Exception {
    BenchmarkCatalog catalog = BenchmarkCatalog.load(RunnerOptions.parse("--include", "SmokeBenchmark\\.headroom"));
    assertThat(catalog.runCount()).isEqualTo(1);
    assertThat(BenchmarkCatalog.load(RunnerOptions.parse("--include", "^nothing$")).classes()).isEmpty();
  }

  @Test
  void paramCombinationsAreTheCartesianProductSortedByName() throws Exception {
    assertThat(BenchmarkCatalog.paramCombinations(smokeEntries().get(0))).containsExactly(Map.of("size", "16"));

    Map<String, String[]> params = new java.util.LinkedHashMap<>();
    params.put("threads", new String[] {"1", "4"});
    params.put("nodes", new String[] {"10", "100", "1000"});
    BenchmarkListEntry entry = entry(params, List.of("-Xmx1g"));
    assertThat(BenchmarkCatalog.combinations(entry)).isEqualTo(6);
    List<Map<String, String>> combos = BenchmarkCatalog.paramCombinations(entry);
    assertThat(combos).hasSize(6);
    assertThat(combos.get(0)).containsExactly(Map.entry("nodes", "10"), Map.entry("threads", "1"));
    assertThat(combos.get(5)).containsExactly(Map.entry("nodes", "1000"), Map.entry("threads", "4"));
    assertThat(combos).doesNotHaveDuplicates();
  }

  @Test
  void annotatedJvmArgsAppendAreKeptSoTheRunnerCanAddItsOwn() {
    BenchmarkCatalog.BenchmarkClass c = new BenchmarkCatalog.BenchmarkClass("x.Q", "Q?", "", List.of(
        entry(Map.of(), List.of("-Xmx1g", "-Da=1")), entry(Map.of(), List.of("-Da=1", "-Db=2"))));
    assertThat(c.annotatedJvmArgsAppend()).containsExactly("-Xmx1g", "-Da=1", "-Db=2");
  }

  @Test
  void peersIndependentOfAParamRunAtItsFirstValueOnly() {
    Map<String, String[]> params = new java.util.LinkedHashMap<>();
    params.put("nodes", new String[] {"10", "100"});
    params.put("algorithm", new String[] {"RING", "JUMP", "MAGLEV"});
    BenchmarkListEntry headroom = entry("headroomLookup", params, List.of());
    BenchmarkListEntry guava = entry("guavaLookup", params, List.of());
    BenchmarkListEntry direct = entry("directLookup", Map.of("nodes", new String[] {"10", "100"}), List.of());

    BenchmarkCatalog.BenchmarkClass pinned =
        new BenchmarkCatalog.BenchmarkClass("x.Q", "Q?", "", List.of(headroom, guava, direct), List.of("algorithm"));
    // Headroom: 2 × 3 combinations; each peer: 2 (algorithm pinned, or not declared at all).
    assertThat(pinned.runCount()).isEqualTo(6 + 2 + 2);
    assertThat(pinned.pinnedPeerParams()).containsExactly(Map.entry("algorithm", "RING"));
    assertThat(pinned.headroomEntries()).containsExactly(headroom);
    assertThat(pinned.peerEntries()).containsExactly(guava, direct);
    assertThat(pinned.paramValues("algorithm")).containsExactly("RING", "JUMP", "MAGLEV");

    BenchmarkCatalog.BenchmarkClass unpinned =
        new BenchmarkCatalog.BenchmarkClass("x.Q", "Q?", "", List.of(headroom, guava, direct));
    assertThat(unpinned.runCount()).isEqualTo(6 + 6 + 2);
    assertThat(unpinned.pinnedPeerParams()).isEmpty();
  }

  @Test
  void theShardLookupQuestionPinsItsPeersToOneAlgorithm() {
    // Its peers (Guava, a TreeMap ring) ignore the algorithm: 16 peer runs instead of 96.
    io.headroom.benchmarks.Question q =
        io.headroom.benchmarks.sharding.ShardLookupBenchmark.class.getAnnotation(io.headroom.benchmarks.Question.class);
    assertThat(q.peersIndependentOf()).containsExactly("algorithm");
  }

  private static BenchmarkListEntry entry(Map<String, String[]> params, List<String> jvmArgsAppend) {
    return entry("m", params, jvmArgsAppend);
  }

  private static BenchmarkListEntry entry(String method, Map<String, String[]> params, List<String> jvmArgsAppend) {
    return new BenchmarkListEntry("x.Q", "x.jmh_generated.Q_" + method + "_jmhTest", method,
        org.openjdk.jmh.annotations.Mode.AverageTime,
        Optional.none(), new int[] {1}, Optional.none(), Optional.none(), Optional.none(), Optional.none(),
        Optional.none(), Optional.none(), Optional.none(), Optional.none(), Optional.none(), Optional.none(),
        Optional.none(), Optional.none(), Optional.of(jvmArgsAppend), Optional.of(params), Optional.none(),
        Optional.none(), Optional.none());
  }
}
