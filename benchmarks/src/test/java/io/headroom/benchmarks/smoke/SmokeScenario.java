package io.headroom.benchmarks.smoke;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.benchmarks.scenario.ScenarioResult.ChartKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** A test-only scenario: a short series with a line chart and a bar chart, from a fixed seed. */
public final class SmokeScenario implements Scenario {

  @Override
  public String id() {
    return "smoke.series";
  }

  @Override
  public String question() {
    return "Does the runner draw a scenario's charts?";
  }

  @Override
  public boolean needsRedis() {
    return true; // the runner must hand over its Redis
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    if (context.redisUri().isEmpty() || context.redisControl().isEmpty()) {
      throw new IllegalStateException("no Redis from the runner");
    }
    SplittableRandom random = new SplittableRandom(context.seed());
    List<List<String>> series = new ArrayList<>();
    for (int second = 0; second < 10; second++) {
      series.add(List.of(Integer.toString(second),
          String.format(Locale.ROOT, "%.2f", 10 + random.nextDouble() * 5),
          Integer.toString(20 + second)));
    }
    List<List<String>> bars = List.of(
        List.of("ring", "1.02", "0.33"), List.of("jump", "1.00", "0.25"), List.of("maglev", "1.01", "0.26"));
    return ScenarioResult.builder(context.outputDir())
        .csv("smoke-series.csv", List.of("second", "p99_ms", "limit"), series)
        .chart(ChartKind.LINE, "Latency & limit <over> time", "smoke-series.csv", "second",
            List.of("p99_ms", "limit"), "time (s)", "value")
        .csv("smoke-bars.csv", List.of("algorithm", "max_over_mean", "moved"), bars)
        .chart(ChartKind.BAR, "Balance per algorithm", "smoke-bars.csv", "algorithm",
            List.of("max_over_mean", "moved"), "algorithm", "ratio")
        .table("Smoke table", List.of("algorithm", "max/mean"), List.of(List.of("ring", "1.02")))
        .note("Redis at " + context.redisUri().get())
        .build();
  }
}
