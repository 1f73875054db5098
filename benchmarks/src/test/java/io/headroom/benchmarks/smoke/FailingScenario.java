package io.headroom.benchmarks.smoke;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;

/** A test-only scenario that always fails: the run must report it and go on. */
public final class FailingScenario implements Scenario {

  @Override
  public String id() {
    return "smoke.failing";
  }

  @Override
  public String question() {
    return "Does the runner survive a failing scenario?";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    throw new IllegalStateException("deliberate scenario failure");
  }
}
