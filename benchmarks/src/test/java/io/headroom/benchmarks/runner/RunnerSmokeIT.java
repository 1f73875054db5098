package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.benchmarks.report.XmlSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The main job cannot rot: runs {@code java -jar benchmarks.jar} on a tiny configuration (one
 * 100 ms iteration of the smoke questions' benchmarks, two short scenarios; a benchmark, a
 * scenario deliberately fail and a benchmark hangs) and checks the report files are written and
 * parse, and the failures are reported while the run completes.
 */
class RunnerSmokeIT {

  @TempDir Path work;

  @Test
  @Timeout(90)
  void smokeRunWritesAReportThatParsesAndMarksFailuresAndHangsWhileTheRunGoesOn() throws Exception {
    Path out = work.resolve("results");
    int exit;
    String output;
    int redisPort;
    try (RunnerJar run = RunnerJar.start(work, "--smoke", "--include", "smoke\\.(Smoke|Hanging)Benchmark\\.",
        "--include", "^smoke\\.(series|failing)$", "--benchmark-timeout", "8s", "--out", out.toString())) {
      exit = run.awaitExit(80);
      output = run.output();
      redisPort = run.redisPort();
    }

    // Exit status 1: something failed (deliberately), but the run completed.
    assertThat(exit).as(output).isEqualTo(1);
    assertThat(output).contains("Mode: smoke: 1 fork, 0 warmup + 1 measured iteration of 100ms");
    List<String> progress = output.lines().filter(l -> l.matches("\\[\\d/6] .* · \\d left · ~.* left")).toList();
    assertThat(progress).as(output).hasSize(6);
    assertThat(progress.get(0)).startsWith("[1/6] smoke.HangingBenchmark.headroomSpin (thrpt) · 5 left");
    assertThat(progress.get(1)).startsWith("[2/6] smoke.SmokeBenchmark.copyingSum {size=16} (avgt) · 4 left");
    assertThat(progress.get(5)).startsWith("[6/6] scenario smoke.series · 0 left");
    assertThat(output).contains("==== Summary (complete) ====",
        "scenario smoke.failing: FAILED: IllegalStateException: deliberate scenario failure",
        "2 questions, 4 benchmarks, 2 scenarios, 3 failed.",
        "  benchmark smoke.HangingBenchmark.headroomSpin: timed out after 8s (fork killed)");
    assertThat(output).containsPattern("failingSum +size=16 +FAILED +java.lang.IllegalStateException: deliberate");
    // The run stopped the Redis it started.
    assertThat(RunnerJar.listening(redisPort)).isFalse();

    Path dir = RunnerJar.onlyResultsDir(out);
    assertThat(out.resolve("latest").toRealPath()).isEqualTo(dir.toRealPath());
    // Raw JMH JSON: the two benchmarks that ran, with B/op and the run's Redis passed to the fork.
    JsonNode json = new ObjectMapper().readTree(dir.resolve("jmh/smoke.SmokeBenchmark.json").toFile());
    assertThat(json.isArray()).isTrue();
    List<String> names = new ArrayList<>();
    for (JsonNode b : json) {
      names.add(b.get("benchmark").asText());
      assertThat(b.get("primaryMetric").get("score").asDouble()).isPositive();
      assertThat(b.get("primaryMetric").get("scoreUnit").asText()).isEqualTo("ns/op");
      assertThat(b.get("secondaryMetrics").has("gc.alloc.rate.norm")).isTrue();
      assertThat(b.get("jvmArgs").toString()).contains("-Dheadroom.redis.uri=redis://127.0.0.1:" + redisPort);
    }
    assertThat(names).containsExactly(
        "io.headroom.benchmarks.smoke.SmokeBenchmark.copyingSum",
        "io.headroom.benchmarks.smoke.SmokeBenchmark.headroomSum");

    String md = Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8);
    assertThat(md).contains("- **Status:** complete", "- **Failures:** 3",
        "| **headroomSpin** | - | **FAILED** | | | timed out after 8s (fork killed) |", "| Redis | Redis ",
        "### Does the runner report a tiny benchmark?",
        "| failingSum | size=16 | **FAILED** | | | java.lang.IllegalStateException: deliberate failure",
        "### smoke.failing: Does the runner survive a failing scenario?",
        "**FAILED**: IllegalStateException: deliberate scenario failure",
        "![Latency & limit <over> time](charts/smoke.series-1.svg)");
    // Score, B/op and the ratio are there (their values mean nothing after one 100 ms iteration).
    assertThat(md).containsPattern("\\| copyingSum \\| size=16 \\| [0-9.]+ \\| ns/op \\| [0-9.]+ \\| [0-9.]+× \\|");
    assertThat(md).containsPattern("\\| \\*\\*headroomSum\\*\\* \\| size=16 \\| [0-9.]+ \\| ns/op \\| [0-9.]+ \\| Headroom \\|");

    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    Document doc = XmlSupport.parse(html);
    assertThat(doc.getElementsByTagName("svg").getLength()).isEqualTo(2);
    assertThat(doc.getDocumentElement().getTextContent())
        .contains("Does the runner report a tiny benchmark?", "deliberate scenario failure", "AMD", "JMH");
    assertThat(html).doesNotContain("<script", "<link");

    assertThat(XmlSupport.parse(Files.readString(dir.resolve("charts/smoke.series-2.svg")))
        .getElementsByTagName("rect").getLength()).isGreaterThanOrEqualTo(6);
    assertThat(Files.readAllLines(dir.resolve("scenarios/smoke.series/smoke-series.csv")))
        .hasSize(11).first().isEqualTo("second,p99_ms,limit");
    assertThat(dir.resolve("jmh.log")).isRegularFile();
  }

  @Test
  @Timeout(60)
  void theJarsOwnMainListsTheSuiteAndRejectsUnknownFlags() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process list = new ProcessBuilder(java, "-jar", RunnerJar.JAR.toString(), "--list")
        .redirectErrorStream(true).start();
    String listed = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(list.waitFor()).as(listed).isZero();
    assertThat(listed).contains("Questions (JMH classes): ", "Scenarios: ")
        .doesNotContain("cannot be loaded", "smoke.");

    Process bad = new ProcessBuilder(java, "-jar", RunnerJar.JAR.toString(), "--bogus")
        .redirectErrorStream(true).start();
    String usage = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bad.waitFor()).isEqualTo(2);
    assertThat(usage).startsWith("error: unknown option: --bogus").contains("Usage: java -jar");
  }

  @Test
  @Timeout(60)
  void interruptingTheRunLeavesAPartialReportAndStopsRedis() throws Exception {
    Path out = work.resolve("results");
    try (RunnerJar run = RunnerJar.start(work, "--smoke", "--include", "^smoke\\.(series|slow)$",
        "--out", out.toString())) {
      assertThat(run.awaitLine(l -> l.equals("smoke.slow: running"), 45)).as(run.output()).isTrue();
      int redisPort = run.redisPort();
      assertThat(RunnerJar.listening(redisPort)).isTrue();

      // Ctrl-C: SIGINT to the runner. (Process.destroy() would also close our end of its output.)
      new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).inheritIO().start().waitFor();

      run.awaitExit(30);
      assertThat(run.output()).as(() -> run.output() + "\nreport: " + report(out)).contains("Interrupted: partial report in");
      assertThat(RunnerJar.listening(redisPort)).isFalse();
      Path dir = RunnerJar.onlyResultsDir(out);
      String md = Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8);
      assertThat(md).contains("- **Status:** interrupted (partial report)",
          "### smoke.series: Does the runner draw a scenario's charts?").doesNotContain("smoke.slow:");
      XmlSupport.parse(Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8));
    }
  }

  private static String report(Path out) {
    try {
      return Files.readString(RunnerJar.onlyResultsDir(out).resolve("report.md"));
    } catch (Exception e) {
      return e.toString();
    }
  }
}
