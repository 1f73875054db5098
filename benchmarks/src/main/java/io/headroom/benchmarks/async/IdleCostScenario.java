package io.headroom.benchmarks.async;

import io.headroom.benchmarks.async.JobRunners.JobRunner;
import io.headroom.benchmarks.async.JobRunners.Kind;
import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * CPU time used by idle job runners with 2 workers each (the dispatcher with its default idle
 * strategy, and the peers as {@link JobRunners} sets them up), measured with
 * {@link ThreadMXBean#getThreadCpuTime} over every thread each runner created, during 10 s (3 s in
 * quick mode) after one job and a settling pause. The runners idle side by side in one window.
 */
public final class IdleCostScenario implements Scenario {

  @Override
  public String id() {
    return "async.idle";
  }

  @Override
  public String question() {
    return "How much CPU does an idle dispatcher with 2 workers burn, next to its peers?";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isThreadCpuTimeSupported()) {
      return ScenarioResult.builder(context.outputDir()).note("Thread CPU time is not supported on this JVM.").build();
    }
    mx.setThreadCpuTimeEnabled(true);
    Map<Kind, List<Thread>> threads = new EnumMap<>(Kind.class);
    Map<Kind, JobRunner> runners = new EnumMap<>(Kind.class);
    try {
      for (Kind kind : Kind.values()) {
        List<Thread> list = new CopyOnWriteArrayList<>();
        threads.put(kind, list);
        JobRunner runner = JobRunners.create(kind, 2, 8192, list::add);
        runners.put(kind, runner);
        CountDownLatch ran = new CountDownLatch(2);
        runner.submit(ran::countDown);
        runner.submit(ran::countDown);
        if (!ran.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException(kind.label + " did not run its first jobs");
        }
      }
      Thread.sleep(500);
      Map<Kind, Long> before = new EnumMap<>(Kind.class);
      for (Kind kind : Kind.values()) {
        before.put(kind, cpu(mx, threads.get(kind)));
      }
      long start = System.nanoTime();
      Thread.sleep(context.millis(10_000, 3_000));
      long elapsed = System.nanoTime() - start;
      List<String> header = List.of("runner", "cpu_ms", "percent_of_one_core");
      List<List<String>> rows = new ArrayList<>();
      for (Kind kind : Kind.values()) {
        long used = cpu(mx, threads.get(kind)) - before.get(kind);
        rows.add(List.of(kind.label, String.format(Locale.ROOT, "%.2f", used / 1e6),
            String.format(Locale.ROOT, "%.3f", 100.0 * used / elapsed)));
      }
      ScenarioResult.Builder result = ScenarioResult.builder(context.outputDir());
      result.csv("async-idle.csv", header, rows);
      result.table(String.format(Locale.ROOT, "CPU used by idle runners with 2 workers over %.1f s", elapsed / 1e9),
          header, rows);
      result.chart(ScenarioResult.ChartKind.BAR, "Idle CPU, 2 workers (% of one core)", "async-idle.csv",
          "runner", List.of("percent_of_one_core"), "runner", "% of one core");
      result.note("Goal: the dispatcher with its default idle strategy under 1% of one core. Disruptor uses "
          + "SleepingWaitStrategy; ThreadPoolExecutor and ForkJoinPool park their idle threads.");
      return result.build();
    } finally {
      for (JobRunner r : runners.values()) {
        r.close();
      }
    }
  }

  private static long cpu(ThreadMXBean mx, List<Thread> threads) {
    long sum = 0;
    for (Thread t : threads) {
      sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
    }
    return sum;
  }
}
