package io.headroom.benchmarks.report;

import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.benchmarks.scenario.ScenarioResult.Chart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code report.md}, {@code report.html} and {@code charts/*.svg} into a results
 * directory from a {@link RunRecord.Snapshot}. Each file is written to a temporary name and
 * moved into place, so a reader (or a Ctrl-C during a write) never sees half a report.
 *
 * <p>The HTML is self-contained (inline CSS and SVG, no scripts, no external resources) and
 * well-formed XML, so it opens offline and tools can parse it.
 *
 * <p>Not thread-safe; the runner calls it from one thread at a time.
 */
public final class ReportWriter {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  static final String HOW_TO_READ =
      "Each question is one JMH class; Headroom's methods start with `headroom`, the others are the"
          + " peers a user would otherwise pick, measured in the same run. **peer ÷ Headroom** is the"
          + " peer's cost divided by Headroom's cost (time per operation, or the inverse of"
          + " throughput) for the same parameters: above 1× Headroom is cheaper, below 1× the peer"
          + " is. Score ± is JMH's 99.9% confidence half-width. **B/op** is bytes allocated per"
          + " operation (JMH's GC profiler).";

  private final Path dir;

  public ReportWriter(Path dir) {
    this.dir = dir;
  }

  /** Writes every report file for {@code run}. */
  public void write(RunRecord.Snapshot run) throws IOException {
    Files.createDirectories(dir);
    List<RenderedScenario> scenarios = renderCharts(run);
    writeAtomically(dir.resolve("report.md"), markdown(run, scenarios));
    writeAtomically(dir.resolve("report.html"), html(run, scenarios));
  }

  /** A scenario outcome with its charts drawn (or why a chart could not be drawn). */
  record RenderedScenario(ScenarioOutcome outcome, List<RenderedChart> charts) {}

  record RenderedChart(String title, String file, String svg, String problem) {}

  private List<RenderedScenario> renderCharts(RunRecord.Snapshot run) throws IOException {
    List<RenderedScenario> list = new ArrayList<>();
    for (ScenarioOutcome s : run.scenarios()) {
      List<RenderedChart> charts = new ArrayList<>();
      ScenarioResult result = s.result();
      if (result != null) {
        int n = 0;
        for (Chart chart : result.charts()) {
          n++;
          String file = "charts/" + safeName(s.id()) + "-" + n + ".svg";
          try {
            CsvData data = CsvData.read(dir.resolve(s.outputDir()).resolve(chart.csvFile()));
            String svg = SvgCharts.render(chart, data);
            Files.createDirectories(dir.resolve("charts"));
            writeAtomically(dir.resolve(file), svg);
            charts.add(new RenderedChart(chart.title(), file, svg, ""));
          } catch (IOException | RuntimeException e) {
            charts.add(new RenderedChart(chart.title(), "", "", "chart not drawn: " + e.getMessage()));
          }
        }
      }
      list.add(new RenderedScenario(s, charts));
    }
    return list;
  }

  static String safeName(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  // ---------------------------------------------------------------- Markdown

  String markdown(RunRecord.Snapshot run, List<RenderedScenario> scenarios) {
    StringBuilder md = new StringBuilder();
    md.append("# Headroom benchmark report\n\n");
    md.append("- **Status:** ").append(run.status().text()).append('\n');
    md.append("- **Started:** ").append(DATE.format(run.started())).append('\n');
    md.append("- **Last update:** ").append(DATE.format(run.updated())).append('\n');
    md.append("- **Settings:** ").append(run.settings()).append('\n');
    md.append("- **Failures:** ").append(run.failedCount()).append("\n\n");

    md.append("## Environment\n\n| | |\n|---|---|\n");
    for (Map.Entry<String, String> e : run.environment().entrySet()) {
      md.append("| ").append(Html.mdCell(e.getKey())).append(" | ").append(Html.mdCell(e.getValue())).append(" |\n");
    }
    md.append('\n');
    if (!run.failures().isEmpty()) {
      md.append("## Failures\n\n");
      for (String failure : run.failures()) {
        md.append("- ").append(failure).append('\n');
      }
      md.append("\nStack traces: `jmh.log` (benchmarks), `errors.log` (scenarios).\n\n");
    }
    if (!run.notes().isEmpty()) {
      md.append("## Notes\n\n");
      for (String note : run.notes()) {
        md.append("- ").append(note).append('\n');
      }
      md.append('\n');
    }

    if (!run.questions().isEmpty()) {
      md.append("## At a glance\n\n");
      md.append("peer ÷ Headroom over all parameters (above 1×: Headroom is cheaper).\n\n");
      md.append("| Question | Headroom | Peer | peer ÷ Headroom | Failed |\n|---|---|---|---|---:|\n");
      for (QuestionOutcome q : run.questions()) {
        List<Comparisons.Digest> digest = Comparisons.digest(q);
        if (digest.isEmpty()) {
          md.append("| ").append(Html.mdCell(q.question())).append(" | | | - | ").append(q.failedCount()).append(" |\n");
        }
        for (Comparisons.Digest d : digest) {
          md.append("| ").append(Html.mdCell(q.question())).append(" | ").append(d.headroom()).append(" | ")
              .append(d.peer()).append(" | ").append(d.text()).append(" | ").append(q.failedCount()).append(" |\n");
        }
      }
      md.append('\n');
    }

    md.append("## Questions (JMH)\n\n");
    if (run.questions().isEmpty()) {
      md.append("No JMH benchmark ran.\n\n");
    } else {
      md.append(HOW_TO_READ).append("\n\n");
    }
    for (QuestionOutcome q : run.questions()) {
      md.append("### ").append(q.question()).append("\n\n");
      md.append('`').append(q.shortName()).append('`');
      if (!q.goal().isEmpty()) {
        md.append(" · goal: ").append(q.goal());
      }
      if (q.jsonFile() != null) {
        md.append(" · raw: [").append(q.jsonFile()).append("](").append(q.jsonFile()).append(')');
      }
      md.append(" · ").append(q.runSettings()).append(" · ").append(Numbers.format(q.seconds())).append(" s\n\n");
      Map<BenchmarkOutcome, List<Comparisons.Ratio>> ratios = Comparisons.ratios(q);
      boolean partner = needsPartnerName(q);
      md.append("| Benchmark | Params | Score | Unit | B/op | peer ÷ Headroom |\n");
      md.append("|---|---|---:|---|---:|---|\n");
      for (BenchmarkOutcome b : q.benchmarks()) {
        md.append("| ").append(b.isHeadroom() ? "**" + b.method() + "**" : b.method())
            .append(" | ").append(Html.mdCell(b.paramsText()));
        if (b.isFailed()) {
          md.append(" | **FAILED** | | | ").append(Html.mdCell(String.valueOf(b.failure()))).append(" |\n");
          continue;
        }
        List<Comparisons.Ratio> r = ratios.get(b);
        md.append(" | ").append(b.scoreText()).append(" | ").append(b.unit()).append(" | ")
            .append(b.bytesPerOpText()).append(" | ")
            .append(r == null ? (b.isHeadroom() ? "Headroom" : "-") : Comparisons.describe(r, partner))
            .append(" |\n");
      }
      md.append('\n');
    }

    md.append("## Scenarios\n\n");
    if (scenarios.isEmpty()) {
      md.append("No scenario ran.\n\n");
    }
    for (RenderedScenario rs : scenarios) {
      ScenarioOutcome s = rs.outcome();
      md.append("### ").append(s.id()).append(": ").append(s.question()).append("\n\n");
      md.append(s.isFailed() ? "**FAILED**: " + Html.mdCell(String.valueOf(s.failure())) : "passed")
          .append(" · ").append(Numbers.format(s.seconds())).append(" s\n\n");
      ScenarioResult result = s.result();
      if (result == null) {
        continue;
      }
      for (String note : result.notes()) {
        md.append("- ").append(note).append('\n');
      }
      if (!result.notes().isEmpty()) {
        md.append('\n');
      }
      for (ScenarioResult.Table t : result.tables()) {
        md.append("**").append(t.title()).append("**\n\n");
        md.append("| ").append(String.join(" | ", t.header().stream().map(Html::mdCell).toList())).append(" |\n|");
        md.append("---|".repeat(t.header().size())).append('\n');
        for (List<String> row : t.rows()) {
          md.append("| ").append(String.join(" | ", row.stream().map(Html::mdCell).toList())).append(" |\n");
        }
        md.append('\n');
      }
      for (RenderedChart c : rs.charts()) {
        if (c.problem().isEmpty()) {
          md.append("![").append(c.title()).append("](").append(c.file()).append(")\n\n");
        } else {
          md.append("- ").append(c.title()).append(": ").append(c.problem()).append("\n\n");
        }
      }
      if (!result.csvFiles().isEmpty()) {
        md.append("CSV: ");
        List<String> links = new ArrayList<>();
        for (String csv : result.csvFiles()) {
          String path = s.outputDir() + "/" + csv;
          links.add("[" + csv + "](" + path + ")");
        }
        md.append(String.join(", ", links)).append("\n\n");
      }
    }
    return md.toString();
  }

  /** Name the Headroom partner in ratio cells only when a group has more than one. */
  private static boolean needsPartnerName(QuestionOutcome q) {
    return q.benchmarks().stream().filter(BenchmarkOutcome::isHeadroom)
        .map(BenchmarkOutcome::method).distinct().count() > 1;
  }

  // ---------------------------------------------------------------- HTML

  String html(RunRecord.Snapshot run, List<RenderedScenario> scenarios) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>Headroom benchmark report</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}\n")
        .append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:14px}\n")
        .append("td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append("th{background:#f3f3f3}\ntr.headroom td{background:#f4f9ff}\n")
        .append(".failed{color:#b00020;font-weight:bold}\n.better{color:#1a7f37}\n.worse{color:#b35900}\n")
        .append("code{background:#f3f3f3;padding:1px 4px}\nsvg{max-width:100%;height:auto;border:1px solid #eee}\n")
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>Headroom benchmark report</h1>\n<ul>\n");
    li(h, "Status", run.status().text());
    li(h, "Started", DATE.format(run.started()));
    li(h, "Last update", DATE.format(run.updated()));
    li(h, "Settings", run.settings());
    li(h, "Failures", Long.toString(run.failedCount()));
    h.append("</ul>\n");
    if (run.questions().size() + run.scenarios().size() > 0) {
      h.append("<h2>Contents</h2>\n<ul>\n");
      for (QuestionOutcome q : run.questions()) {
        h.append("<li><a href=\"#").append(anchor("q", q.shortName())).append("\">").append(Html.escape(q.question()))
            .append("</a>").append(q.failedCount() > 0 ? " <span class=\"failed\">(" + q.failedCount() + " failed)</span>" : "")
            .append("</li>\n");
      }
      for (ScenarioOutcome s : run.scenarios()) {
        h.append("<li><a href=\"#").append(anchor("s", s.id())).append("\">scenario ").append(Html.escape(s.id()))
            .append("</a>").append(s.isFailed() ? " <span class=\"failed\">(failed)</span>" : "").append("</li>\n");
      }
      h.append("</ul>\n");
    }
    h.append("<h2>Environment</h2>\n<table>\n");
    for (Map.Entry<String, String> e : run.environment().entrySet()) {
      h.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>")
          .append(Html.escape(e.getValue())).append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (!run.failures().isEmpty()) {
      h.append("<h2>Failures</h2>\n<ul>\n");
      for (String failure : run.failures()) {
        h.append("<li class=\"failed\">").append(Html.escape(failure)).append("</li>\n");
      }
      h.append("</ul>\n<p>Stack traces: <code>jmh.log</code> (benchmarks), <code>errors.log</code> (scenarios).</p>\n");
    }
    if (!run.notes().isEmpty()) {
      h.append("<h2>Notes</h2>\n<ul>\n");
      for (String note : run.notes()) {
        h.append("<li>").append(Html.escape(note)).append("</li>\n");
      }
      h.append("</ul>\n");
    }

    if (!run.questions().isEmpty()) {
      h.append("<h2>At a glance</h2>\n<p>peer ÷ Headroom over all parameters (above 1×: Headroom is cheaper).</p>\n");
      h.append("<table>\n<tr><th>Question</th><th>Headroom</th><th>Peer</th><th>peer ÷ Headroom</th><th>Failed</th></tr>\n");
      for (QuestionOutcome q : run.questions()) {
        List<Comparisons.Digest> digest = Comparisons.digest(q);
        if (digest.isEmpty()) {
          h.append("<tr><td>").append(Html.escape(q.question())).append("</td><td></td><td></td><td>-</td><td class=\"num\">")
              .append(q.failedCount()).append("</td></tr>\n");
        }
        for (Comparisons.Digest d : digest) {
          h.append("<tr><td>").append(Html.escape(q.question())).append("</td><td>").append(Html.escape(d.headroom()))
              .append("</td><td>").append(Html.escape(d.peer())).append("</td><td class=\"")
              .append(d.min() >= 1 ? "better" : "worse").append("\">").append(Html.escape(d.text()))
              .append("</td><td class=\"num\">").append(q.failedCount()).append("</td></tr>\n");
        }
      }
      h.append("</table>\n");
    }
    h.append("<h2>Questions (JMH)</h2>\n");
    h.append("<p>").append(run.questions().isEmpty() ? "No JMH benchmark ran."
        : Html.escape(HOW_TO_READ).replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>")
            .replaceAll("`(.+?)`", "<code>$1</code>")).append("</p>\n");
    for (QuestionOutcome q : run.questions()) {
      h.append("<h3 id=\"").append(anchor("q", q.shortName())).append("\">").append(Html.escape(q.question()))
          .append("</h3>\n<p><code>")
          .append(Html.escape(q.shortName())).append("</code>");
      if (!q.goal().isEmpty()) {
        h.append(" · goal: ").append(Html.escape(q.goal()));
      }
      if (q.jsonFile() != null) {
        h.append(" · raw: <a href=\"").append(Html.escape(q.jsonFile())).append("\">")
            .append(Html.escape(q.jsonFile())).append("</a>");
      }
      h.append(" · ").append(Html.escape(q.runSettings())).append(" · ").append(Numbers.format(q.seconds()))
          .append(" s</p>\n");
      Map<BenchmarkOutcome, List<Comparisons.Ratio>> ratios = Comparisons.ratios(q);
      boolean partner = needsPartnerName(q);
      h.append("<table>\n<tr><th>Benchmark</th><th>Params</th><th>Score</th><th>Unit</th>")
          .append("<th>B/op</th><th>peer ÷ Headroom</th></tr>\n");
      for (BenchmarkOutcome b : q.benchmarks()) {
        h.append(b.isHeadroom() ? "<tr class=\"headroom\">" : "<tr>");
        h.append("<td>").append(b.isHeadroom() ? "<b>" + Html.escape(b.method()) + "</b>" : Html.escape(b.method()))
            .append("</td><td>").append(Html.escape(b.paramsText())).append("</td>");
        if (b.isFailed()) {
          h.append("<td class=\"failed\">FAILED</td><td></td><td></td><td class=\"failed\">")
              .append(Html.escape(String.valueOf(b.failure()))).append("</td></tr>\n");
          continue;
        }
        h.append("<td class=\"num\">").append(Html.escape(b.scoreText())).append("</td><td>")
            .append(Html.escape(b.unit())).append("</td><td class=\"num\">").append(b.bytesPerOpText())
            .append("</td>");
        List<Comparisons.Ratio> r = ratios.get(b);
        if (r == null) {
          h.append("<td>").append(b.isHeadroom() ? "Headroom" : "-").append("</td>");
        } else {
          boolean better = r.stream().allMatch(x -> x.value() >= 1);
          h.append("<td class=\"").append(better ? "better" : "worse").append("\">")
              .append(Html.escape(Comparisons.describe(r, partner))).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }

    h.append("<h2>Scenarios</h2>\n");
    if (scenarios.isEmpty()) {
      h.append("<p>No scenario ran.</p>\n");
    }
    for (RenderedScenario rs : scenarios) {
      ScenarioOutcome s = rs.outcome();
      h.append("<h3 id=\"").append(anchor("s", s.id())).append("\">").append(Html.escape(s.id())).append(": ").append(Html.escape(s.question())).append("</h3>\n<p>");
      if (s.isFailed()) {
        h.append("<span class=\"failed\">FAILED</span>: ").append(Html.escape(String.valueOf(s.failure())));
      } else {
        h.append("passed");
      }
      h.append(" · ").append(Numbers.format(s.seconds())).append(" s</p>\n");
      ScenarioResult result = s.result();
      if (result == null) {
        continue;
      }
      if (!result.notes().isEmpty()) {
        h.append("<ul>\n");
        for (String note : result.notes()) {
          h.append("<li>").append(Html.escape(note)).append("</li>\n");
        }
        h.append("</ul>\n");
      }
      for (ScenarioResult.Table t : result.tables()) {
        h.append("<table>\n<caption>").append(Html.escape(t.title())).append("</caption>\n<tr>");
        for (String cell : t.header()) {
          h.append("<th>").append(Html.escape(cell)).append("</th>");
        }
        h.append("</tr>\n");
        for (List<String> row : t.rows()) {
          h.append("<tr>");
          for (String cell : row) {
            h.append("<td>").append(Html.escape(cell)).append("</td>");
          }
          h.append("</tr>\n");
        }
        h.append("</table>\n");
      }
      for (RenderedChart c : rs.charts()) {
        if (c.problem().isEmpty()) {
          h.append("<figure>\n").append(c.svg()).append("</figure>\n");
        } else {
          h.append("<p>").append(Html.escape(c.title() + ": " + c.problem())).append("</p>\n");
        }
      }
      if (!result.csvFiles().isEmpty()) {
        h.append("<p>CSV:");
        for (String csv : result.csvFiles()) {
          String path = s.outputDir() + "/" + csv;
          h.append(" <a href=\"").append(Html.escape(path)).append("\">").append(Html.escape(csv)).append("</a>");
        }
        h.append("</p>\n");
      }
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** An HTML id: a prefix and the name with anything but letters, digits, '-', '.' and '_' replaced. */
  static String anchor(String prefix, String name) {
    return prefix + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static void li(StringBuilder h, String key, String value) {
    h.append("<li><b>").append(Html.escape(key)).append(":</b> ").append(Html.escape(value)).append("</li>\n");
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
