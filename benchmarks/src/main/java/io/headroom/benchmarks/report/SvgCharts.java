package io.headroom.benchmarks.report;

import io.headroom.benchmarks.scenario.ScenarioResult.Chart;
import io.headroom.benchmarks.scenario.ScenarioResult.ChartKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a scenario's {@link Chart} as a standalone SVG document (line charts for time series,
 * grouped bar charts for categories), with axes, ticks, a legend and a title. No scripts, no
 * external resources: the SVG is embedded as is in {@code report.html} and written as a file
 * next to {@code report.md}. The output is well-formed XML.
 */
public final class SvgCharts {

  static final int WIDTH = 760;
  static final int HEIGHT = 380;
  private static final int LEFT = 70;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };

  private SvgCharts() {}

  /**
   * Renders {@code chart} from {@code data}.
   *
   * @throws IOException if a column the chart names is not in the data
   */
  public static String render(Chart chart, CsvData data) throws IOException {
    int x = data.column(chart.xColumn());
    List<Integer> ys = new ArrayList<>();
    for (String y : chart.yColumns()) {
      ys.add(data.column(y));
    }
    return chart.kind() == ChartKind.LINE ? line(chart, data, x, ys) : bar(chart, data, x, ys);
  }

  private static String line(Chart chart, CsvData data, int xCol, List<Integer> yCols) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = 0;
    double yMax = Double.NEGATIVE_INFINITY;
    for (List<String> row : data.rows()) {
      double xv = data.number(row, xCol);
      if (Double.isNaN(xv)) {
        continue;
      }
      xMin = Math.min(xMin, xv);
      xMax = Math.max(xMax, xv);
      for (int c : yCols) {
        double yv = data.number(row, c);
        if (!Double.isNaN(yv) && !Double.isInfinite(yv)) {
          yMin = Math.min(yMin, yv);
          yMax = Math.max(yMax, yv);
        }
      }
    }
    StringBuilder svg = open(chart);
    if (xMin > xMax || yMax == Double.NEGATIVE_INFINITY) {
      return noData(svg);
    }
    Axis xAxis = Axis.of(xMin, xMax);
    Axis yAxis = Axis.of(yMin, yMax);
    axes(svg, chart, xAxis, yAxis, true);
    for (int s = 0; s < yCols.size(); s++) {
      int c = yCols.get(s);
      String color = COLORS[s % COLORS.length];
      // A missing value breaks the line rather than joining across the gap.
      List<String> points = new ArrayList<>();
      for (List<String> row : data.rows()) {
        double xv = data.number(row, xCol);
        double yv = data.number(row, c);
        if (Double.isNaN(xv) || Double.isNaN(yv) || Double.isInfinite(yv)) {
          polyline(svg, points, color);
          points.clear();
          continue;
        }
        points.add(fmt(px(xAxis, xv)) + "," + fmt(py(yAxis, yv)));
      }
      polyline(svg, points, color);
    }
    legend(svg, chart.yColumns());
    return close(svg);
  }

  private static void polyline(StringBuilder svg, List<String> points, String color) {
    if (points.size() == 1) {
      String[] p = points.get(0).split(",");
      svg.append("<circle cx=\"").append(p[0]).append("\" cy=\"").append(p[1])
          .append("\" r=\"2.5\" fill=\"").append(color).append("\"/>\n");
    } else if (points.size() > 1) {
      svg.append("<polyline fill=\"none\" stroke=\"").append(color)
          .append("\" stroke-width=\"1.8\" points=\"").append(String.join(" ", points)).append("\"/>\n");
    }
  }

  private static String bar(Chart chart, CsvData data, int xCol, List<Integer> yCols) {
    double yMin = 0;
    double yMax = Double.NEGATIVE_INFINITY;
    for (List<String> row : data.rows()) {
      for (int c : yCols) {
        double yv = data.number(row, c);
        if (!Double.isNaN(yv) && !Double.isInfinite(yv)) {
          yMin = Math.min(yMin, yv);
          yMax = Math.max(yMax, yv);
        }
      }
    }
    StringBuilder svg = open(chart);
    if (data.rows().isEmpty() || yMax == Double.NEGATIVE_INFINITY) {
      return noData(svg);
    }
    Axis yAxis = Axis.of(yMin, yMax);
    axes(svg, chart, null, yAxis, false);
    int n = data.rows().size();
    double slot = (double) (WIDTH - LEFT - RIGHT) / n;
    double barWidth = slot * 0.8 / yCols.size();
    double zeroY = py(yAxis, Math.max(yAxis.min, 0));
    for (int i = 0; i < n; i++) {
      List<String> row = data.rows().get(i);
      double groupX = LEFT + i * slot + slot * 0.1;
      for (int s = 0; s < yCols.size(); s++) {
        double yv = data.number(row, yCols.get(s));
        if (Double.isNaN(yv) || Double.isInfinite(yv)) {
          continue;
        }
        double top = Math.min(py(yAxis, yv), zeroY);
        double h = Math.abs(py(yAxis, yv) - zeroY);
        svg.append("<rect x=\"").append(fmt(groupX + s * barWidth)).append("\" y=\"").append(fmt(top))
            .append("\" width=\"").append(fmt(Math.max(1, barWidth - 1))).append("\" height=\"")
            .append(fmt(h)).append("\" fill=\"").append(COLORS[s % COLORS.length]).append("\">")
            .append("<title>").append(Html.escape(data.cell(row, xCol) + " " + chart.yColumns().get(s)
                + ": " + Numbers.format(yv))).append("</title></rect>\n");
      }
      String label = data.cell(row, xCol);
      if (label.length() > 14) {
        label = label.substring(0, 13) + "…";
      }
      svg.append("<text x=\"").append(fmt(LEFT + (i + 0.5) * slot)).append("\" y=\"")
          .append(HEIGHT - BOTTOM + 16).append("\" font-size=\"11\" text-anchor=\"middle\">")
          .append(Html.escape(label)).append("</text>\n");
    }
    legend(svg, chart.yColumns());
    return close(svg);
  }

  private static StringBuilder open(Chart chart) {
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" font-family=\"sans-serif\" role=\"img\">\n");
    svg.append("<title>").append(Html.escape(chart.title())).append("</title>\n");
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"22\" font-size=\"15\" font-weight=\"bold\" "
        + "text-anchor=\"middle\">").append(Html.escape(chart.title())).append("</text>\n");
    return svg;
  }

  private static String noData(StringBuilder svg) {
    svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
        .append("\" font-size=\"13\" text-anchor=\"middle\">no data</text>\n");
    return close(svg);
  }

  private static String close(StringBuilder svg) {
    return svg.append("</svg>\n").toString();
  }

  private static void axes(StringBuilder svg, Chart chart, Axis xAxis, Axis yAxis, boolean xTicks) {
    int x0 = LEFT;
    int x1 = WIDTH - RIGHT;
    int y0 = HEIGHT - BOTTOM;
    int y1 = TOP;
    for (double t : yAxis.ticks()) {
      double y = py(yAxis, t);
      svg.append("<line x1=\"").append(x0).append("\" y1=\"").append(fmt(y)).append("\" x2=\"").append(x1)
          .append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#e5e5e5\"/>\n");
      svg.append("<text x=\"").append(x0 - 6).append("\" y=\"").append(fmt(y + 4))
          .append("\" font-size=\"11\" text-anchor=\"end\">").append(Html.escape(yAxis.label(t)))
          .append("</text>\n");
    }
    if (xTicks && xAxis != null) {
      for (double t : xAxis.ticks()) {
        double x = px(xAxis, t);
        svg.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(y0).append("\" x2=\"")
            .append(fmt(x)).append("\" y2=\"").append(y0 + 5).append("\" stroke=\"#333\"/>\n");
        svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(y0 + 18)
            .append("\" font-size=\"11\" text-anchor=\"middle\">").append(Html.escape(xAxis.label(t)))
            .append("</text>\n");
      }
    }
    svg.append("<line x1=\"").append(x0).append("\" y1=\"").append(y0).append("\" x2=\"").append(x1)
        .append("\" y2=\"").append(y0).append("\" stroke=\"#333\"/>\n");
    svg.append("<line x1=\"").append(x0).append("\" y1=\"").append(y0).append("\" x2=\"").append(x0)
        .append("\" y2=\"").append(y1).append("\" stroke=\"#333\"/>\n");
    svg.append("<text x=\"").append((x0 + x1) / 2).append("\" y=\"").append(HEIGHT - 16)
        .append("\" font-size=\"12\" text-anchor=\"middle\">").append(Html.escape(chart.xLabel()))
        .append("</text>\n");
    svg.append("<text x=\"16\" y=\"").append((y0 + y1) / 2).append("\" font-size=\"12\" "
        + "text-anchor=\"middle\" transform=\"rotate(-90 16 ").append((y0 + y1) / 2).append(")\">")
        .append(Html.escape(chart.yLabel())).append("</text>\n");
  }

  private static void legend(StringBuilder svg, List<String> names) {
    int x = WIDTH - RIGHT + 14;
    for (int i = 0; i < names.size(); i++) {
      int y = TOP + 6 + i * 18;
      svg.append("<rect x=\"").append(x).append("\" y=\"").append(y - 9).append("\" width=\"12\" height=\"12\" fill=\"")
          .append(COLORS[i % COLORS.length]).append("\"/>\n");
      svg.append("<text x=\"").append(x + 18).append("\" y=\"").append(y + 1).append("\" font-size=\"12\">")
          .append(Html.escape(names.get(i))).append("</text>\n");
    }
  }

  private static double px(Axis axis, double v) {
    return LEFT + (v - axis.min) / (axis.max - axis.min) * (WIDTH - LEFT - RIGHT);
  }

  private static double py(Axis axis, double v) {
    return HEIGHT - BOTTOM - (v - axis.min) / (axis.max - axis.min) * (HEIGHT - TOP - BOTTOM);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** An axis range widened to round tick values. */
  static final class Axis {
    final double min;
    final double max;
    final double step;

    private Axis(double min, double max, double step) {
      this.min = min;
      this.max = max;
      this.step = step;
    }

    static Axis of(double lo, double hi) {
      if (hi <= lo) {
        hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 0.1);
      }
      double step = niceStep((hi - lo) / 5);
      return new Axis(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / magnitude;
      double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
      return nice * magnitude;
    }

    /** A tick label with as many decimals as the step needs: {@code 0.5}, {@code 20}, {@code 25k}, {@code 1.5M}. */
    String label(double t) {
      double a = Math.abs(t);
      if (a >= 1e6 && step >= 1e5) {
        return trim(String.format(Locale.ROOT, "%.1f", t / 1e6)) + "M";
      }
      if (a >= 1e4 && step >= 1e3) {
        return trim(String.format(Locale.ROOT, "%.1f", t / 1e3)) + "k";
      }
      int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      return String.format(Locale.ROOT, "%." + decimals + "f", t);
    }

    private static String trim(String s) {
      return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      for (int i = 0; ; i++) {
        double t = min + i * step;
        if (t > max + step * 1e-9 || i > 20) {
          break;
        }
        ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
      }
      return ticks;
    }
  }
}
