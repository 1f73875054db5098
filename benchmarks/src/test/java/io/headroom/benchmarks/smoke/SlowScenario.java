package io.headroom.benchmarks.smoke;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;

/** A test-only scenario that runs for a minute (interruptibly): the Ctrl-C test stops the run in it. */
public final class SlowScenario implements Scenario {

  @Override
  public String id() {
    return "smoke.slow";
  }

  @Override
  public String question() {
    return "Does Ctrl-C leave a partial report?";
  }

  @Override
  public boolean needsRedis() {
    return true;
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws InterruptedException {
    context.log().println("smoke.slow: running");
    Thread.sleep(60_000);
    return ScenarioResult.builder(context.outputDir()).build();
  }
}
