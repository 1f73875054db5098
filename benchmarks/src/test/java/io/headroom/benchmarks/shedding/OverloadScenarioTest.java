package io.headroom.benchmarks.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The overload simulation is deterministic and Headroom's limiters hold goodput under overload. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OverloadScenarioTest {
  private static final long STEP = TimeUnit.SECONDS.toNanos(5);

  @ParameterizedTest
  @ValueSource(strings = {"aimd", "vegas", "gradient"})
  void adaptiveLimitersKeepGoodputAndCriticalLatencyUnderOverload(String name) {
    OverloadScenario.Simulation sim = new OverloadScenario.Simulation(name, 42, STEP);
    sim.run();
    for (int step : new int[] {2, 3}) { // 3x and 10x
      assertThat(sim.goodputPercent(step)).isGreaterThanOrEqualTo(90);
      assertThat(sim.p(step, 0, 99)).isLessThanOrEqualTo(2 * sim.p(0, 0, 99));
      assertThat(sim.rejectedPercent(step, 3)).isGreaterThan(99); // LOW absorbs the shedding
    }
    assertThat(sim.rejectedPercent(2, 0)).isLessThanOrEqualTo(1); // CRITICAL kept at 3x
  }

  @Test
  void withoutALimiterGoodputCollapses() {
    OverloadScenario.Simulation sim = new OverloadScenario.Simulation("none", 42, STEP);
    sim.run();
    assertThat(sim.goodputPercent(3)).isLessThan(10);
  }

  @Test
  void sameSeedSameNumbersAndTheSeriesAreWritten(@TempDir Path dir) throws Exception {
    OverloadScenario.Simulation a = new OverloadScenario.Simulation("gradient", 7, STEP);
    OverloadScenario.Simulation b = new OverloadScenario.Simulation("gradient", 7, STEP);
    a.run();
    b.run();
    assertThat(a.stepRows()).isEqualTo(b.stepRows());
    assertThat(a.series).isEqualTo(b.series);

    ScenarioResult r =
        new OverloadScenario()
            .run(
                new ScenarioContext(
                    true,
                    dir,
                    42,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    null,
                    null));
    assertThat(r.csvFiles()).hasSize(OverloadScenario.LIMITERS.size());
    for (String csv : r.csvFiles()) {
      // header + one line per simulated second (7 steps of 5 s, the first tick at 1 s)
      assertThat(Files.readAllLines(dir.resolve(csv))).hasSize(1 + 7 * 5 - 1);
    }
    assertThat(r.charts()).hasSize(OverloadScenario.LIMITERS.size());
  }
}
