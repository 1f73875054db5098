package io.headroom.benchmarks.guards;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.shedding.guard.Guard;
import io.headroom.shedding.guard.HedgePolicy;
import io.headroom.shedding.guard.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A dependency with a heavy tail (each attempt takes 20–30 ms, but 1% take 50× that): p99 and
 * p99.9 of the caller's latency without hedging, with a hedge after a fixed 50 ms, and with a
 * hedge after the p95 of recent latencies, plus the extra attempts hedging costs.
 *
 * <p>Real time: requests arrive open-loop at a fixed rate; the dependency completes each
 * attempt's future on a scheduler after its drawn latency (no thread per call). Latencies carry
 * the noise of the machine's scheduler; attempts last tens of milliseconds so that this noise
 * (about a millisecond on a quiet machine) stays small next to them.
 */
public final class HedgingScenario implements Scenario {
  private static final int RATE_PER_MS = 1;

  @Override
  public String id() {
    return "guards.hedging";
  }

  @Override
  public String question() {
    return "What do p99 and p99.9 become when 1% of calls are 50x slower, with and without hedging, and what extra load does hedging cost?";
  }

  private record Variant(String name, @Nullable HedgePolicy hedge) {}

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int requests = (int) context.millis(20_000, 4_000);
    List<Variant> variants =
        List.of(
            new Variant("no-hedging", null),
            new Variant("hedge-fixed-50ms", HedgePolicy.fixedDelay(Duration.ofMillis(50))),
            new Variant(
                "hedge-p95", HedgePolicy.percentile(95, Duration.ofMillis(50), Duration.ofMillis(10))));
    List<List<String>> rows = new ArrayList<>();
    List<List<String>> bars = new ArrayList<>();
    ScheduledExecutorService dependency = new ScheduledThreadPoolExecutor(2);
    ScheduledExecutorService driver = new ScheduledThreadPoolExecutor(1);
    try {
      for (Variant variant : variants) {
        Guard.Builder<Integer> builder = Guard.<Integer>builder();
        if (variant.hedge() != null) {
          builder.hedge(variant.hedge()).retryBudget(RetryBudget.ofDefaults());
        }
        Guard<Integer> guard = builder.build();
        // Latencies drawn up front from the seed, taken in attempt order: no shared random.
        SplittableRandom seeds = new SplittableRandom(context.seed());
        long[] drawn = new long[requests * 3];
        for (int i = 0; i < drawn.length; i++) {
          long micros = 20_000 + seeds.nextLong(10_001);
          drawn[i] = seeds.nextInt(100) == 0 ? micros * 50 : micros;
        }
        AtomicLong attempts = new AtomicLong();
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(10), 3);
        CountDownLatch done = new CountDownLatch(requests);
        AtomicLong issued = new AtomicLong();
        Runnable issue =
            () -> {
              for (int k = 0; k < RATE_PER_MS && issued.get() < requests; k++) {
                issued.incrementAndGet();
                long start = System.nanoTime();
                guard
                    .callAsync(
                        () -> {
                          long micros = drawn[(int) (attempts.getAndIncrement() % drawn.length)];
                          CompletableFuture<Integer> work = new CompletableFuture<>();
                          dependency.schedule(() -> work.complete(1), micros, TimeUnit.MICROSECONDS);
                          return work;
                        })
                    .whenComplete(
                        (value, failure) -> {
                          latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start), TimeUnit.SECONDS.toMicros(10)));
                          done.countDown();
                        });
              }
            };
        var ticking = driver.scheduleAtFixedRate(issue, 0, 1, TimeUnit.MILLISECONDS);
        boolean finished = done.await(requests / 1000L * 4 + 60, TimeUnit.SECONDS);
        ticking.cancel(false);
        if (!finished) {
          throw new IllegalStateException(variant.name() + ": requests did not complete in time");
        }
        double extra = attempts.get() / (double) requests - 1;
        rows.add(
            List.of(
                variant.name(),
                Integer.toString(requests),
                millis(latency.getValueAtPercentile(50)),
                millis(latency.getValueAtPercentile(99)),
                millis(latency.getValueAtPercentile(99.9)),
                millis(latency.getMaxValue()),
                String.format(Locale.ROOT, "%.1f%%", extra * 100),
                Long.toString(guard.snapshot().hedgeWins())));
        bars.add(
            List.of(
                variant.name(),
                millis(latency.getValueAtPercentile(99)),
                millis(latency.getValueAtPercentile(99.9))));
        context.log().println("guards.hedging: " + variant.name() + " done");
      }
    } finally {
      driver.shutdownNow();
      dependency.shutdownNow();
    }
    return ScenarioResult.builder(context.outputDir())
        .table(
            "Caller latency (ms), attempts 20-30 ms with 1% at 50x, " + (RATE_PER_MS * 1000) + " requests/s, real time",
            List.of("variant", "requests", "p50", "p99", "p99.9", "max", "extra attempts", "won by hedge"),
            rows)
        .csv("guards-hedging.csv", List.of("variant", "p99_ms", "p999_ms"), bars)
        .chart(
            ScenarioResult.ChartKind.BAR,
            "Tail latency with and without hedging",
            "guards-hedging.csv",
            "variant",
            List.of("p99_ms", "p999_ms"),
            "variant",
            "milliseconds")
        .note("Hedges draw on the default retry budget (10% of requests plus 10/s), which caps the extra load.")
        .note("Real time on a shared machine: scheduler noise of about a millisecond is in every figure.")
        .build();
  }

  private static String millis(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }
}
