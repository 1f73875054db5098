package io.headroom.benchmarks.report;

import io.headroom.benchmarks.scenario.ScenarioResult;
import java.util.List;
import java.util.Map;

/** The summary the runner prints at the end: every question's table and every scenario's. */
public final class TerminalSummary {
  private TerminalSummary() {}

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The summary of {@code run}, whose files are in {@code resultsDir}. */
  public static String render(RunRecord.Snapshot run, String resultsDir) {
    StringBuilder sb = new StringBuilder();
    sb.append("\n==== Summary (").append(run.status().text()).append(") ====\n");
    for (QuestionOutcome q : run.questions()) {
      sb.append('\n').append(q.question()).append("  [").append(q.shortName()).append("]\n");
      if (!q.goal().isEmpty()) {
        sb.append("  goal: ").append(q.goal()).append('\n');
      }
      Map<BenchmarkOutcome, List<Comparisons.Ratio>> ratios = Comparisons.ratios(q);
      TextTable t = new TextTable(List.of("benchmark", "params", "score", "unit", "B/op", "peer÷Headroom"), 60);
      for (BenchmarkOutcome b : q.benchmarks()) {
        if (b.isFailed()) {
          t.row(List.of((b.isHeadroom() ? "* " : "  ") + b.method(), b.paramsText(), "FAILED", "", "",
              String.valueOf(b.failure())));
          continue;
        }
        List<Comparisons.Ratio> r = ratios.get(b);
        t.row(List.of((b.isHeadroom() ? "* " : "  ") + b.method(), b.paramsText(), b.scoreText(), b.unit(),
            b.bytesPerOpText(), r == null ? "" : Comparisons.describe(r, r.size() > 1)));
      }
      sb.append(t.render("  "));
    }
    for (ScenarioOutcome s : run.scenarios()) {
      sb.append('\n').append("scenario ").append(s.id()).append(": ")
          .append(s.isFailed() ? "FAILED: " + s.failure() : "passed")
          .append(" (").append(Numbers.format(s.seconds())).append(" s)\n");
      ScenarioResult result = s.result();
      if (result != null) {
        for (ScenarioResult.Table table : result.tables()) {
          sb.append("  ").append(table.title()).append('\n');
          TextTable t = new TextTable(table.header(), 40);
          table.rows().forEach(t::row);
          sb.append(t.render("  "));
        }
      }
    }
    if (!run.failures().isEmpty()) {
      sb.append("\nFAILED:\n");
      for (String failure : run.failures()) {
        sb.append("  ").append(failure).append('\n');
      }
    }
    long benchmarks = run.questions().stream().mapToLong(q -> q.benchmarks().size()).sum();
    sb.append('\n').append(count(run.questions().size(), "question")).append(", ")
        .append(count(benchmarks, "benchmark")).append(", ").append(count(run.scenarios().size(), "scenario")).append(", ")
        .append(run.failedCount()).append(" failed. (* = Headroom; peer÷Headroom > 1: Headroom is cheaper)\n");
    sb.append("Report: ").append(resultsDir).append("/report.html (and report.md)\n");
    return sb.toString();
  }
}
