package io.headroom.benchmarks.guards;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.shedding.guard.CallTimeoutException;
import io.headroom.shedding.guard.Guard;
import io.headroom.shedding.guard.TimeoutPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * How late does a timeout fire when 10,000 other timeouts are pending? Measures the lateness
 * (completion time minus deadline) of 10 ms timeouts: async timeouts of a {@link Guard} on the
 * shared timer with 0 and with 10,000 pending timeouts, sync timeouts of a guard (a per-thread
 * slot swept every millisecond), and the JDK's {@code CompletableFuture.orTimeout} with 10,000
 * pending as the reference. Real time, on whatever machine runs it.
 */
public final class TimerAccuracyScenario implements Scenario {
  private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int PENDING = 10_000;

  @Override
  public String id() {
    return "guards.timer-accuracy";
  }

  @Override
  public String question() {
    return "With 10,000 pending timeouts, how late does a guard's timeout fire (p50/p99/max)?";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int samples = (int) context.millis(10_000, 2_000);
    int syncSamples = (int) context.millis(1_000, 200);
    Guard<Integer> guard =
        Guard.<Integer>builder().timeout(TimeoutPolicy.of(Duration.ofNanos(TIMEOUT_NANOS))).build();
    List<List<String>> rows = new ArrayList<>();
    asyncLateness(guard, 500); // warm-up: JIT and class loading, not measured
    syncLateness(guard, 20);
    jdkLateness(500);

    rows.add(row("guard async, 0 pending", asyncLateness(guard, samples)));

    Guard<Integer> background =
        Guard.<Integer>builder().timeout(TimeoutPolicy.of(Duration.ofMinutes(10))).build();
    List<CompletableFuture<Integer>> pending = new ArrayList<>();
    for (int i = 0; i < PENDING; i++) {
      pending.add(background.callAsync(CompletableFuture::new));
    }
    int pendingSeen = background.snapshot().timerPending();
    rows.add(row("guard async, " + PENDING + " pending", asyncLateness(guard, samples)));
    pending.forEach(f -> f.cancel(true));
    int pendingAfter = background.snapshot().timerPending();

    rows.add(row("guard sync (1 ms sweep), 1 caller", syncLateness(guard, syncSamples)));

    List<CompletableFuture<Integer>> jdkPending = new ArrayList<>();
    for (int i = 0; i < PENDING; i++) {
      jdkPending.add(new CompletableFuture<Integer>().orTimeout(10, TimeUnit.MINUTES));
    }
    rows.add(row("JDK orTimeout, " + PENDING + " pending", jdkLateness(samples)));
    jdkPending.forEach(f -> f.cancel(true));

    List<List<String>> csv = new ArrayList<>();
    for (List<String> r : rows) {
      csv.add(List.of(r.get(0).replace(',', ';'), r.get(2), r.get(3), r.get(4)));
    }
    return ScenarioResult.builder(context.outputDir())
        .table(
            "Lateness of a 10 ms timeout (ms after the deadline)",
            List.of("timer", "samples", "p50", "p99", "max"),
            rows)
        .csv("guards-timer-accuracy.csv", List.of("timer", "p50_ms", "p99_ms", "max_ms"), csv)
        .chart(
            ScenarioResult.ChartKind.BAR,
            "Timeout lateness",
            "guards-timer-accuracy.csv",
            "timer",
            List.of("p50_ms", "p99_ms"),
            "timer",
            "ms late")
        .note(
            "Timer entries pending with the 10,000 background timeouts: "
                + pendingSeen
                + "; after cancelling them: "
                + pendingAfter
                + " (cancelled entries leave the queue at once).")
        .note("Real time on a shared machine: scheduling noise is in every figure.")
        .build();
  }

  private static List<String> row(String name, Histogram h) {
    return List.of(
        name,
        Long.toString(h.getTotalCount()),
        millis(h.getValueAtPercentile(50)),
        millis(h.getValueAtPercentile(99)),
        millis(h.getMaxValue()));
  }

  private static String millis(long micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
  }

  private static Histogram asyncLateness(Guard<Integer> guard, int samples) throws InterruptedException {
    Histogram lateness = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    CountDownLatch done = new CountDownLatch(samples);
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      guard
          .callAsync(CompletableFuture::new)
          .whenComplete(
              (v, e) -> {
                record(lateness, System.nanoTime() - start - TIMEOUT_NANOS);
                done.countDown();
              });
      LockSupport.parkNanos(200_000); // spread the deadlines
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("timeouts did not all fire within 60 s");
    }
    return lateness;
  }

  private static Histogram syncLateness(Guard<Integer> guard, int samples) {
    Histogram lateness = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      try {
        guard.call(
            () -> {
              Thread.sleep(60_000);
              return 1;
            });
      } catch (CallTimeoutException expected) {
        record(lateness, System.nanoTime() - start - TIMEOUT_NANOS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return lateness;
  }

  private static Histogram jdkLateness(int samples) throws InterruptedException {
    Histogram lateness = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    CountDownLatch done = new CountDownLatch(samples);
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      new CompletableFuture<Integer>()
          .orTimeout(TIMEOUT_NANOS, TimeUnit.NANOSECONDS)
          .whenComplete(
              (v, e) -> {
                record(lateness, System.nanoTime() - start - TIMEOUT_NANOS);
                done.countDown();
              });
      LockSupport.parkNanos(200_000);
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("timeouts did not all fire within 60 s");
    }
    return lateness;
  }

  private static void record(Histogram histogram, long latenessNanos) {
    histogram.recordValue(Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMicros(latenessNanos), TimeUnit.SECONDS.toMicros(60))));
  }
}
