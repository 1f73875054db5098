package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ScenarioExecutorTest {

  @TempDir Path dir;

  private ScenarioContext context() {
    return new ScenarioContext(true, dir, 1, System.out, null, null);
  }

  private static Scenario scenario(String id, ScenarioBody body) {
    return new Scenario() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String question() {
        return id + "?";
      }

      @Override
      public ScenarioResult run(ScenarioContext context) throws Exception {
        return body.run(context);
      }
    };
  }

  interface ScenarioBody {
    ScenarioResult run(ScenarioContext context) throws Exception;
  }

  @Test
  void returnsTheResult() throws Exception {
    ScenarioResult r = ScenarioExecutor.run(
        scenario("ok", c -> ScenarioResult.builder(c.outputDir()).note("done").build()), context(), Duration.ofSeconds(5));
    assertThat(r.notes()).containsExactly("done");
  }

  @Test
  void rethrowsWhatTheScenarioThrew() {
    assertThatThrownBy(() -> ScenarioExecutor.run(scenario("bad", c -> {
      throw new IllegalArgumentException("broken\nsecond line");
    }), context(), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(ScenarioExecutor.describe(e)).isEqualTo("IllegalArgumentException: broken"));
  }

  @Test
  void aNullResultIsAFailure() {
    assertThatThrownBy(() -> ScenarioExecutor.run(scenario("null", c -> null), context(), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class).hasMessage("the scenario returned no result");
  }

  @Test
  void aHangingScenarioTimesOutAndIsInterrupted() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    Scenario hanging = scenario("hang", c -> {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return null;
    });
    assertThatThrownBy(() -> ScenarioExecutor.run(hanging, context(), Duration.ofMillis(200)))
        .isInstanceOf(TimeoutException.class)
        .satisfies(e -> assertThat(ScenarioExecutor.describe(e)).isEqualTo("timed out after 200ms"));
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
