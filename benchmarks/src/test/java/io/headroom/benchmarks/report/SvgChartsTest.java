package io.headroom.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.benchmarks.scenario.ScenarioResult.Chart;
import io.headroom.benchmarks.scenario.ScenarioResult.ChartKind;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartsTest {

  static Document parse(String xml) throws Exception {
    return XmlSupport.parse(xml);
  }

  @Test
  void lineChartDrawsOnePolylinePerSeriesAndBreaksAtGaps() throws Exception {
    CsvData data = new CsvData(List.of("t", "limit", "p99"), List.of(
        List.of("0", "10", "1.5"), List.of("1", "12", ""), List.of("2", "14", "2.5"), List.of("3", "13", "3.0")));
    Chart chart = new Chart(ChartKind.LINE, "Limit & p99 <overload>", "x.csv", "t", List.of("limit", "p99"),
        "time (s)", "value");

    Document svg = parse(SvgCharts.render(chart, data));

    Element root = svg.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    NodeList lines = svg.getElementsByTagName("polyline");
    // limit: one line of 4 points; p99: a gap at t=1 leaves a lone point (circle), then a line of 2
    assertThat(lines.getLength()).isEqualTo(2);
    assertThat(((Element) lines.item(0)).getAttribute("points").split(" ")).hasSize(4);
    assertThat(((Element) lines.item(1)).getAttribute("points").split(" ")).hasSize(2);
    assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(1);
    assertThat(root.getTextContent()).contains("Limit & p99 <overload>", "limit", "p99", "time (s)");
  }

  @Test
  void barChartDrawsOneBarPerCategoryAndSeries() throws Exception {
    CsvData data = new CsvData(List.of("algorithm", "max_over_mean", "moved"), List.of(
        List.of("ring", "1.10", "0.30"), List.of("jump", "1.00", "0.25"), List.of("maglev", "1.02", "n/a")));
    Chart chart = new Chart(ChartKind.BAR, "Balance", "b.csv", "algorithm", List.of("max_over_mean", "moved"),
        "algorithm", "ratio");

    Document svg = parse(SvgCharts.render(chart, data));

    // 3 categories x 2 series, minus the non-numeric cell; plus the background and 2 legend swatches
    NodeList rects = svg.getElementsByTagName("rect");
    int bars = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      if (((Element) rects.item(i)).getElementsByTagName("title").getLength() == 1) {
        bars++;
      }
    }
    assertThat(bars).isEqualTo(5);
    assertThat(svg.getDocumentElement().getTextContent()).contains("ring", "jump", "maglev");
  }

  @Test
  void emptyDataSaysNoData() throws Exception {
    Chart chart = new Chart(ChartKind.LINE, "Empty", "e.csv", "t", List.of("v"), "t", "v");
    String svg = SvgCharts.render(chart, new CsvData(List.of("t", "v"), List.of()));
    assertThat(parse(svg).getDocumentElement().getTextContent()).contains("no data");
  }

  @Test
  void aMissingColumnIsAnError() {
    Chart chart = new Chart(ChartKind.LINE, "Bad", "e.csv", "t", List.of("nope"), "t", "v");
    assertThatThrownBy(() -> SvgCharts.render(chart, new CsvData(List.of("t", "v"), List.of())))
        .isInstanceOf(IOException.class).hasMessage("no column nope in [t, v]");
  }

  @Test
  void axisTicksAreRoundNumbersCoveringTheRange() {
    SvgCharts.Axis axis = SvgCharts.Axis.of(0, 93);
    assertThat(axis.ticks()).containsExactly(0.0, 20.0, 40.0, 60.0, 80.0, 100.0);
    assertThat(SvgCharts.Axis.of(5, 5).ticks()).isNotEmpty();
    assertThat(axis.label(40)).isEqualTo("40");
    SvgCharts.Axis small = SvgCharts.Axis.of(0, 1.2);
    assertThat(small.ticks()).containsExactly(0.0, 0.5, 1.0, 1.5);
    assertThat(small.label(0.5)).isEqualTo("0.5");
    assertThat(small.label(1.0)).isEqualTo("1.0");
    SvgCharts.Axis big = SvgCharts.Axis.of(0, 2_400_000);
    assertThat(big.label(1_500_000)).isEqualTo("1.5M");
    assertThat(big.label(2_000_000)).isEqualTo("2M");
    assertThat(SvgCharts.Axis.of(0, 90_000).label(20_000)).isEqualTo("20k");
  }
}
