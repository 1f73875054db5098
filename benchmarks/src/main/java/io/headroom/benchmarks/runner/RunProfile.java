package io.headroom.benchmarks.runner;

import java.time.Duration;

/**
 * How hard a run measures: JMH forks, iterations and iteration time, and whether scenarios run
 * in their quick form.
 *
 * @param name the profile's name as the report shows it
 * @param forks JMH forks per benchmark
 * @param warmupIterations JMH warmup iterations per fork
 * @param measurementIterations JMH measurement iterations per fork
 * @param iterationTime the length of one warmup or measurement iteration
 * @param quickScenarios whether scenarios run in quick mode
 * @param scenarioTimeout how long a scenario may run before it is marked failed
 * @param jmhBudget the time the JMH part should fit in; iteration time shrinks (not below
 *     {@link #MIN_ITERATION_TIME}) to fit it; {@link Duration#ZERO} means no budget
 */
public record RunProfile(
    String name,
    int forks,
    int warmupIterations,
    int measurementIterations,
    Duration iterationTime,
    boolean quickScenarios,
    Duration scenarioTimeout,
    Duration jmhBudget) {

  /** The shortest iteration the budget may shrink an iteration to. */
  public static final Duration MIN_ITERATION_TIME = Duration.ofMillis(200);

  /** The whole suite in about 10 minutes on 2 cores. */
  public static RunProfile quick() {
    return new RunProfile(
        "quick", 1, 1, 2, Duration.ofSeconds(1), true, Duration.ofSeconds(120), Duration.ofMinutes(10));
  }

  /** JMH's usual rigour, shortened: several forks, 5 warmup and 5 measured iterations of 2 s. */
  public static RunProfile full() {
    return new RunProfile(
        "full", 3, 5, 5, Duration.ofSeconds(2), false, Duration.ofMinutes(20), Duration.ZERO);
  }

  /** For the smoke test: one fork, no warmup, one 100 ms iteration, quick scenarios. */
  public static RunProfile smoke() {
    return new RunProfile(
        "smoke", 1, 0, 1, Duration.ofMillis(100), true, Duration.ofSeconds(60), Duration.ZERO);
  }

  public RunProfile withForks(int value) {
    return new RunProfile(name, value, warmupIterations, measurementIterations, iterationTime,
        quickScenarios, scenarioTimeout, jmhBudget);
  }

  public RunProfile withWarmupIterations(int value) {
    return new RunProfile(name, forks, value, measurementIterations, iterationTime,
        quickScenarios, scenarioTimeout, jmhBudget);
  }

  public RunProfile withMeasurementIterations(int value) {
    return new RunProfile(name, forks, warmupIterations, value, iterationTime,
        quickScenarios, scenarioTimeout, jmhBudget);
  }

  /** An explicit iteration time also turns the budget off: the user asked for that time. */
  public RunProfile withIterationTime(Duration value) {
    return new RunProfile(name, forks, warmupIterations, measurementIterations, value,
        quickScenarios, scenarioTimeout, Duration.ZERO);
  }

  public RunProfile withScenarioTimeout(Duration value) {
    return new RunProfile(name, forks, warmupIterations, measurementIterations, iterationTime,
        quickScenarios, value, jmhBudget);
  }

  /** The JMH part for one question's line, e.g. {@code 1 fork × (1 warmup + 2) × 1s}. */
  public String jmhSettings() {
    return forks + (forks == 1 ? " fork × (" : " forks × (") + warmupIterations + " warmup + "
        + measurementIterations + ") × " + Durations.format(iterationTime);
  }

  /** One line for the report, e.g. {@code quick: 1 fork, 1 warmup + 2 iterations of 1 s}. */
  public String describe() {
    return name + ": " + forks + (forks == 1 ? " fork, " : " forks, ")
        + warmupIterations + " warmup + " + measurementIterations + " measured iteration"
        + (measurementIterations == 1 ? "" : "s") + " of " + Durations.format(iterationTime)
        + (quickScenarios ? ", scenarios in quick mode" : ", scenarios in full mode");
  }
}
