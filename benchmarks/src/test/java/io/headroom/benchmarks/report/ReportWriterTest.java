package io.headroom.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.benchmarks.scenario.ScenarioResult.ChartKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportWriterTest {

  @TempDir Path dir;

  private RunRecord.Snapshot sampleRun() {
    RunRecord run = new RunRecord(Instant.parse("2026-11-29T02:00:00Z"), "quick: test");
    run.environment("CPU", "Test CPU <8 cores>");
    run.environment("Redis", "Redis 7.0.15");
    run.add(new QuestionOutcome("io.headroom.benchmarks.cache.L1Hit", "What does an L1 hit cost?",
        "headroom ≤ 1.2× caffeine", List.of(
            BenchmarkOutcome.measured("io.headroom.benchmarks.cache.L1Hit", "headroomHit", "avgt",
                Map.of("size", "1000"), 20, 0.5, "ns/op", 0.0),
            BenchmarkOutcome.measured("io.headroom.benchmarks.cache.L1Hit", "caffeineHit", "avgt",
                Map.of("size", "1000"), 18, 0.4, "ns/op", 24.0),
            BenchmarkOutcome.failed("io.headroom.benchmarks.cache.L1Hit", "lettuceHit", "avgt",
                Map.of("size", "1000"), "java.lang.IllegalStateException: a | b")),
        "jmh/cache.L1Hit.json", 12.5, "1 fork × (1 warmup + 2) × 1s"));
    Path out = dir.resolve("scenarios/shedding.overload");
    ScenarioResult result = ScenarioResult.builder(out)
        .csv("limit.csv", List.of("second", "limit", "p99_ms"), List.of(
            List.of("0", "10", "5"), List.of("1", "20", "7"), List.of("2", "15", "6")))
        .chart(ChartKind.LINE, "Limit and p99 under overload", "limit.csv", "second", List.of("limit", "p99_ms"),
            "time (s)", "value")
        .chart(ChartKind.LINE, "Broken chart", "limit.csv", "second", List.of("missing"), "t", "v")
        .table("Percentiles", List.of("algorithm", "p99 ms"), List.of(List.of("aimd", "7")))
        .note("The limit settles near capacity.")
        .build();
    run.add(new ScenarioOutcome("shedding.overload", "How does the limit follow overload?",
        "scenarios/shedding.overload", result, null, 28));
    run.add(new ScenarioOutcome("cache.outage", "What happens when Redis dies?", "scenarios/cache.outage",
        null, "TimeoutException: timed out after 2m00s", 120));
    run.note("Redis could not be started & so on.");
    run.finish(RunRecord.Status.COMPLETE);
    return run.snapshot();
  }

  @Test
  void writesMarkdownWithRatiosFailuresEnvironmentAndChartLinks() throws Exception {
    new ReportWriter(dir).write(sampleRun());

    String md = Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8);
    assertThat(md).contains("- **Status:** complete", "- **Failures:** 2", "| CPU | Test CPU <8 cores> |");
    assertThat(md).contains("### What does an L1 hit cost?",
        "`cache.L1Hit` · goal: headroom ≤ 1.2× caffeine · raw: [jmh/cache.L1Hit.json](jmh/cache.L1Hit.json) · 1 fork × (1 warmup + 2) × 1s · 12.5 s");
    assertThat(md).contains("| **headroomHit** | size=1000 | 20.0 ± 0.500 | ns/op | 0.0 | Headroom |");
    assertThat(md).contains("| caffeineHit | size=1000 | 18.0 ± 0.400 | ns/op | 24 | 0.900× |");
    assertThat(md).contains("| lettuceHit | size=1000 | **FAILED** | | | java.lang.IllegalStateException: a \\| b |");
    assertThat(md).contains("![Limit and p99 under overload](charts/shedding.overload-1.svg)");
    assertThat(md).contains("- Broken chart: chart not drawn: no column missing in [second, limit, p99_ms]");
    assertThat(md).contains("**FAILED**: TimeoutException: timed out after 2m00s");
    assertThat(md).contains("[limit.csv](scenarios/shedding.overload/limit.csv)");
    assertThat(md).contains("| aimd | 7 |", "- The limit settles near capacity.");
    assertThat(md).contains("## Failures\n\n"
        + "- benchmark cache.L1Hit.lettuceHit size=1000: java.lang.IllegalStateException: a | b\n"
        + "- scenario cache.outage: TimeoutException: timed out after 2m00s\n");
    assertThat(md).contains("## At a glance", "| What does an L1 hit cost? | headroomHit | caffeineHit | 0.900× | 1 |");
    assertThat(dir.resolve("charts/shedding.overload-1.svg")).isRegularFile();
    assertThat(dir.resolve("charts/shedding.overload-2.svg")).doesNotExist();
  }

  @Test
  void writesSelfContainedWellFormedHtmlWithInlineSvg() throws Exception {
    new ReportWriter(dir).write(sampleRun());

    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    Document doc = SvgChartsTest.parse(html);
    assertThat(doc.getElementsByTagName("svg").getLength()).isEqualTo(1);
    assertThat(doc.getElementsByTagName("table").getLength()).isEqualTo(4); // environment, glance, question, scenario
    assertThat(doc.getDocumentElement().getTextContent())
        .contains("What does an L1 hit cost?", "0.900×", "FAILED", "Test CPU <8 cores>",
            "Redis could not be started & so on.", "timed out after 2m00s");
    assertThat(html).doesNotContain("<script", "<link", "src=\"http", "@import");
    assertThat(html).contains("<a href=\"#q-cache.L1Hit\">What does an L1 hit cost?</a> <span class=\"failed\">(1 failed)</span>",
        "<h3 id=\"q-cache.L1Hit\">", "<a href=\"#s-cache.outage\">scenario cache.outage</a>", "<h3 id=\"s-cache.outage\">");
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void aRunningReportSaysItIsPartial() throws Exception {
    RunRecord run = new RunRecord(Instant.parse("2026-11-29T02:00:00Z"), "quick");
    new ReportWriter(dir).write(run.snapshot());
    assertThat(Files.readString(dir.resolve("report.md"))).contains("- **Status:** running (partial report)",
        "No JMH benchmark ran.", "No scenario ran.");
    run.finish(RunRecord.Status.INTERRUPTED);
    assertThat(run.finish(RunRecord.Status.COMPLETE)).isFalse();
    new ReportWriter(dir).write(run.snapshot());
    assertThat(Files.readString(dir.resolve("report.md"))).contains("- **Status:** interrupted (partial report)");
  }

  @Test
  void numbersHaveThreeSignificantDigits() {
    assertThat(Numbers.format(0.001234)).isEqualTo("0.00123");
    assertThat(Numbers.format(1.234)).isEqualTo("1.23");
    assertThat(Numbers.format(12.34)).isEqualTo("12.3");
    assertThat(Numbers.format(1234.5)).isEqualTo("1235");
    assertThat(Numbers.format(0)).isEqualTo("0");
    assertThat(Numbers.ratio(1.5)).isEqualTo("1.50×");
  }

  @Test
  void terminalSummaryListsEveryBenchmarkAndScenario() {
    String text = TerminalSummary.render(sampleRun(), "/r");
    assertThat(text).contains("What does an L1 hit cost?  [cache.L1Hit]", "goal: headroom ≤ 1.2× caffeine");
    assertThat(text).containsPattern("\\* headroomHit +size=1000 +20\\.0 ± 0\\.500 +ns/op +0\\.0");
    assertThat(text).containsPattern("  caffeineHit +size=1000 +18\\.0 ± 0\\.400 +ns/op +24 +0\\.900×");
    assertThat(text).containsPattern("  lettuceHit +size=1000 +FAILED +java.lang.IllegalStateException: a \\| b");
    assertThat(text).contains("scenario shedding.overload: passed (28.0 s)", "scenario cache.outage: FAILED: "
        + "TimeoutException: timed out after 2m00s (120 s)");
    assertThat(text).contains("FAILED:\n  benchmark cache.L1Hit.lettuceHit size=1000: java.lang.IllegalStateException: a | b\n"
        + "  scenario cache.outage: TimeoutException: timed out after 2m00s\n");
    assertThat(text).contains("1 question, 3 benchmarks, 2 scenarios, 2 failed.", "Report: /r/report.html");
  }
}
