package io.headroom.benchmarks.runner;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one scenario on its own daemon thread and waits at most a timeout, so a scenario that
 * hangs is marked failed (and interrupted) while the run goes on with the next one.
 */
public final class ScenarioExecutor {
  private ScenarioExecutor() {}

  /**
   * Runs {@code scenario} and returns its result.
   *
   * @throws TimeoutException if it did not finish within {@code timeout} (it is interrupted)
   * @throws Exception whatever the scenario threw
   */
  public static ScenarioResult run(Scenario scenario, ScenarioContext context, Duration timeout) throws Exception {
    FutureTask<ScenarioResult> task = new FutureTask<>(() -> scenario.run(context));
    Thread thread = new Thread(task, "scenario-" + scenario.id());
    thread.setDaemon(true); // a scenario that ignores interrupts must not keep the JVM alive
    thread.start();
    try {
      ScenarioResult result = task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (result == null) {
        throw new IllegalStateException("the scenario returned no result");
      }
      return result;
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new TimeoutException("timed out after " + Durations.format(timeout));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  /** {@code IllegalStateException: boom}: the type and the first line of the message. */
  public static String describe(Throwable t) {
    String message = t.getMessage();
    String name = t instanceof TimeoutException ? "" : t.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return name;
    }
    String first = ProgressOutputFormat.firstLine(message);
    return name.isEmpty() ? first : name + ": " + first;
  }
}
