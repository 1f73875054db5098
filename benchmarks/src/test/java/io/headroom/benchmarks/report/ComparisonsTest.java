package io.headroom.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonsTest {

  private static BenchmarkOutcome avgt(String method, String size, double score) {
    return BenchmarkOutcome.measured("x.Q", method, "avgt", Map.of("size", size), score, 0.1, "ns/op", 0.0);
  }

  private static BenchmarkOutcome thrpt(String method, double score) {
    return BenchmarkOutcome.measured("x.Q", method, "thrpt", Map.of(), score, 1, "ops/s", null);
  }

  @Test
  void ratioIsPeerCostOverHeadroomCostPerParamCombination() {
    BenchmarkOutcome h10 = avgt("headroomGet", "10", 20);
    BenchmarkOutcome p10 = avgt("caffeineGet", "10", 25);
    BenchmarkOutcome h99 = avgt("headroomGet", "99", 40);
    BenchmarkOutcome p99 = avgt("caffeineGet", "99", 30);
    QuestionOutcome q = new QuestionOutcome("x.Q", "Q?", "", List.of(h10, p10, h99, p99), null, 1, "1 fork");

    Map<BenchmarkOutcome, List<Comparisons.Ratio>> ratios = Comparisons.ratios(q);

    assertThat(ratios).containsOnlyKeys(p10, p99);
    assertThat(ratios.get(p10)).singleElement().satisfies(r -> {
      assertThat(r.headroom()).isSameAs(h10);
      assertThat(r.value()).isCloseTo(1.25, within(1e-9));
    });
    assertThat(ratios.get(p99)).singleElement().satisfies(r -> {
      assertThat(r.headroom()).isSameAs(h99);
      assertThat(r.value()).isCloseTo(0.75, within(1e-9));
    });
  }

  @Test
  void throughputIsInvertedSoAboveOneStillMeansHeadroomIsCheaper() {
    BenchmarkOutcome h = thrpt("headroomOffer", 2_000_000);
    BenchmarkOutcome p = thrpt("disruptorOffer", 1_000_000);
    QuestionOutcome q = new QuestionOutcome("x.Q", "Q?", "", List.of(h, p), null, 1, "1 fork");
    assertThat(Comparisons.ratios(q).get(p)).singleElement()
        .satisfies(r -> assertThat(r.value()).isCloseTo(2.0, within(1e-9)));
  }

  @Test
  void peersPairWithTheHeadroomMethodTheirNameEndsWithElseWithEveryHeadroomMethod() {
    BenchmarkOutcome hHit = avgt("headroomHit", "1", 10);
    BenchmarkOutcome hMiss = avgt("headroomMiss", "1", 100);
    BenchmarkOutcome pHit = avgt("caffeineHit", "1", 9);
    BenchmarkOutcome pMiss = avgt("caffeineMiss", "1", 200);
    BenchmarkOutcome direct = avgt("directMap", "1", 5);
    QuestionOutcome q = new QuestionOutcome("x.Q", "Q?", "", List.of(hHit, hMiss, pHit, pMiss, direct), null, 1, "1 fork");

    Map<BenchmarkOutcome, List<Comparisons.Ratio>> ratios = Comparisons.ratios(q);

    assertThat(ratios.get(pHit)).extracting(Comparisons.Ratio::headroom).containsExactly(hHit);
    assertThat(ratios.get(pMiss)).extracting(Comparisons.Ratio::headroom).containsExactly(hMiss);
    assertThat(ratios.get(direct)).extracting(Comparisons.Ratio::headroom).containsExactly(hHit, hMiss);
    assertThat(Comparisons.describe(ratios.get(direct), true)).isEqualTo("0.500× vs headroomHit; 0.0500× vs headroomMiss");
  }

  @Test
  void failedBenchmarksAndOtherModesAreNotCompared() {
    BenchmarkOutcome h = avgt("headroomGet", "1", 10);
    BenchmarkOutcome failed = BenchmarkOutcome.failed("x.Q", "lettuceGet", "avgt", Map.of("size", "1"), "boom");
    BenchmarkOutcome other = BenchmarkOutcome.measured("x.Q", "guavaGet", "thrpt", Map.of("size", "1"), 5, 1, "ops/s", null);
    BenchmarkOutcome failedHeadroom = BenchmarkOutcome.failed("x.Q", "headroomPut", "avgt", Map.of("size", "1"), "x");
    QuestionOutcome q = new QuestionOutcome("x.Q", "Q?", "", List.of(h, failed, other, failedHeadroom), null, 1, "1 fork");
    assertThat(Comparisons.ratios(q)).isEmpty();
    assertThat(Comparisons.ratio(h, failed)).isNaN();
  }

  @Test
  void digestGivesTheRangeOfEachPairOverTheParameters() {
    QuestionOutcome q = new QuestionOutcome("x.Q", "Q?", "", List.of(
        avgt("headroomGet", "1", 10), avgt("caffeineGet", "1", 9),
        avgt("headroomGet", "2", 10), avgt("caffeineGet", "2", 12),
        avgt("headroomGet", "3", 10), avgt("caffeineGet", "3", 10),
        avgt("headroomPut", "1", 10), avgt("guavaPut", "1", 20)), null, 1, "1 fork");
    assertThat(Comparisons.digest(q)).extracting(Comparisons.Digest::peer, Comparisons.Digest::text)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("caffeineGet", "0.900×–1.20× (3 params)"),
            org.assertj.core.api.Assertions.tuple("guavaPut", "2.00×"));
  }
}
