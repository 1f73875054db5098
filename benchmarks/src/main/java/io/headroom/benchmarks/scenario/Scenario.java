package io.headroom.benchmarks.scenario;

/**
 * A measurement that is not a microbenchmark (overload, outage, stampede, rebalancing): a plain
 * program with a fixed seed that reports percentiles, tables and per-second series.
 *
 * <p>Implementations are listed in {@code META-INF/services/io.headroom.benchmarks.scenario.Scenario}
 * and found by the runner through {@link java.util.ServiceLoader}; each needs a public no-arg
 * constructor. A scenario must finish by itself: in {@linkplain ScenarioContext#quick() quick}
 * mode within about 30 seconds, and always within a bounded time (bounded loops, no waiting
 * without a timeout). It writes only into {@link ScenarioContext#outputDir()}.
 */
public interface Scenario {

  /** A stable id, {@code <module>.<name>}, e.g. {@code cache.outage}; used by {@code --include}. */
  String id();

  /** The question a user asks that this scenario answers, one sentence. */
  String question();

  /** Whether the scenario needs Redis ({@link ScenarioContext#redisUri()} is then present). */
  default boolean needsRedis() {
    return false;
  }

  /**
   * Runs the scenario and returns what it found. Throwing marks the scenario as failed in the
   * report; the runner goes on with the others.
   */
  ScenarioResult run(ScenarioContext context) throws Exception;
}
