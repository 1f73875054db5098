package io.headroom.benchmarks.async;

import io.headroom.benchmarks.async.JobRunners.JobRunner;
import io.headroom.benchmarks.async.JobRunners.Kind;
import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Saturation throughput per producer count (1, 2, 4 producers, 2 workers), then the producer's
 * submit latency and the end-to-end queue wait at 50% and 90% of the dispatcher's measured
 * saturation throughput, for the dispatcher and its peers (see {@link JobRunners}).
 *
 * <p>Throughput cells run for a fixed time with producers submitting as fast as the runner takes
 * jobs; the score is jobs completed per second. Latency phases pace two producers at a fixed
 * rate; submit latency is the time of the submit call (HdrHistogram), queue wait is from just
 * before the submit call to the start of the job's run.
 */
public final class DispatchScenario implements Scenario {
  private static final int WORKERS = 2;
  private static final int CAPACITY = 65_536;
  private static final int[] PRODUCERS = {1, 2, 4};

  @Override
  public String id() {
    return "async.dispatch";
  }

  @Override
  public String question() {
    return "How many jobs per second does each job runner complete per producer count, and what does a "
        + "submit cost the producer at 50% and 90% of saturation?";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    long cellMillis = context.millis(2_000, 400);
    long warmMillis = context.millis(1_000, 200);
    ScenarioResult.Builder result = ScenarioResult.builder(context.outputDir());

    // 1. Saturation throughput.
    Map<Kind, double[]> throughput = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      double[] perProducers = new double[PRODUCERS.length];
      for (int i = 0; i < PRODUCERS.length; i++) {
        perProducers[i] = saturate(kind, PRODUCERS[i], warmMillis, cellMillis);
        context.log().printf(Locale.ROOT, "async.dispatch: %s producers=%d %.0f jobs/s%n",
            kind.label, PRODUCERS[i], perProducers[i]);
      }
      throughput.put(kind, perProducers);
    }
    List<String> header = new ArrayList<>();
    header.add("producers");
    for (Kind kind : Kind.values()) {
      header.add(kind.label);
    }
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < PRODUCERS.length; i++) {
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(PRODUCERS[i]));
      for (Kind kind : Kind.values()) {
        row.add(String.format(Locale.ROOT, "%.0f", throughput.get(kind)[i]));
      }
      rows.add(row);
    }
    result.csv("async-throughput.csv", header, rows);
    result.table("Jobs completed per second, " + WORKERS + " workers", header, rows);
    result.chart(ScenarioResult.ChartKind.BAR, "Saturation throughput, 2 workers (jobs/s)",
        "async-throughput.csv", "producers", header.subList(1, header.size()), "producers", "jobs/s");
    for (int i = 0; i < PRODUCERS.length; i++) {
      double h = throughput.get(Kind.HEADROOM)[i];
      result.note(String.format(Locale.ROOT,
          "%d producer(s): headroom/threadPoolArrayBlockingQueue = %.2f, headroom/threadPoolLinkedBlockingQueue = %.2f, "
              + "headroom/forkJoinPool = %.2f, headroom/disruptor = %.2f (goals: >= 2 vs ThreadPoolExecutor, >= 0.8 vs disruptor).",
          PRODUCERS[i], h / throughput.get(Kind.TPE_ARRAY)[i], h / throughput.get(Kind.TPE_LINKED)[i],
          h / throughput.get(Kind.FORK_JOIN)[i], h / throughput.get(Kind.DISRUPTOR)[i]));
    }

    // 2. Submit latency and queue wait at 50% and 90% of the dispatcher's saturation, 2 producers.
    double saturation = throughput.get(Kind.HEADROOM)[1];
    List<String> latencyHeader = List.of("runner", "load", "rate_per_s", "achieved_per_s",
        "submit_p50_ns", "submit_p99_ns", "submit_p999_ns", "wait_p50_us", "wait_p90_us", "wait_p99_us");
    List<List<String>> latencyRows = new ArrayList<>();
    for (double load : new double[] {0.5, 0.9}) {
      for (Kind kind : Kind.values()) {
        latencyRows.add(paced(kind, load, saturation, warmMillis, context.millis(3_000, 600)));
      }
    }
    result.csv("async-latency.csv", latencyHeader, latencyRows);
    result.table("Submit latency and queue wait, 2 producers, 2 workers, paced at a share of headroom's "
        + "2-producer saturation (" + String.format(Locale.ROOT, "%.0f", saturation) + " jobs/s)",
        latencyHeader, latencyRows);
    result.note("Goal: headroom submit p99 under 1 µs. The machine may be shared; figures are noisy: "
        + "compare runners within one run.");
    return result.build();
  }

  /** Jobs completed per second with {@code producers} threads submitting flat out. */
  private static double saturate(Kind kind, int producers, long warmMillis, long cellMillis) throws Exception {
    AtomicLong done = new AtomicLong();
    Runnable job = () -> {
      Blackhole.consumeCPU(16);
      done.incrementAndGet();
    };
    try (JobRunner runner = JobRunners.create(kind, WORKERS, CAPACITY)) {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmMillis + cellMillis) + 1;
      CountDownLatch finished = new CountDownLatch(producers);
      for (int p = 0; p < producers; p++) {
        Thread t = new Thread(() -> {
          try {
            while (System.nanoTime() < end) {
              for (int i = 0; i < 64; i++) {
                runner.submit(job);
              }
            }
          } finally {
            finished.countDown();
          }
        }, "producer-" + p);
        t.setDaemon(true);
        t.start();
      }
      Thread.sleep(warmMillis);
      long startCount = done.get();
      long start = System.nanoTime();
      Thread.sleep(cellMillis);
      long count = done.get() - startCount;
      long elapsed = System.nanoTime() - start;
      finished.await(30, TimeUnit.SECONDS);
      return count * 1e9 / elapsed;
    }
  }

  /** One paced phase: 2 producers at {@code load * saturation} jobs/s in total. */
  private static List<String> paced(Kind kind, double load, double saturation, long warmMillis, long millis)
      throws Exception {
    double rate = load * saturation;
    long intervalNanos = Math.max(1, (long) (2 * 1e9 / rate)); // per producer
    Recorder wait = new Recorder(3);
    AtomicLong done = new AtomicLong();
    Histogram submit = new Histogram(3);
    try (JobRunner runner = JobRunners.create(kind, WORKERS, CAPACITY)) {
      long warmEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmMillis);
      long end = warmEnd + TimeUnit.MILLISECONDS.toNanos(millis);
      List<Histogram> perProducer = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        Histogram h = new Histogram(3);
        perProducer.add(h);
        Thread t = new Thread(() -> {
          long next = System.nanoTime();
          while (true) {
            long now;
            while ((now = System.nanoTime()) < next) {
              // Sleep when ahead (submitting in bursts, as request threads do) rather than spin:
              // on a small machine spinning producers would starve the workers.
              // A park lasts at least ~50 µs, so a producer catches up in bursts.
              LockSupport.parkNanos(next - now);
            }
            if (now >= end) {
              return;
            }
            next += intervalNanos;
            boolean measured = now >= warmEnd;
            long before = System.nanoTime();
            runner.submit(new TimedJob(before, measured ? wait : null, done));
            long after = System.nanoTime();
            if (measured) {
              h.recordValue(Math.max(0, after - before));
            }
          }
        }, "paced-" + p);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join(TimeUnit.MILLISECONDS.toMillis(warmMillis + millis) + 30_000);
      }
      for (Histogram h : perProducer) {
        submit.add(h);
      }
      Thread.sleep(100); // let the last jobs run
    }
    Histogram w = wait.getIntervalHistogram();
    double achieved = submit.getTotalCount() * 1e3 / millis;
    return List.of(kind.label, String.format(Locale.ROOT, "%.0f%%", load * 100),
        String.format(Locale.ROOT, "%.0f", rate), String.format(Locale.ROOT, "%.0f", achieved),
        Long.toString(submit.getValueAtPercentile(50)), Long.toString(submit.getValueAtPercentile(99)),
        Long.toString(submit.getValueAtPercentile(99.9)),
        String.format(Locale.ROOT, "%.1f", w.getValueAtPercentile(50) / 1e3),
        String.format(Locale.ROOT, "%.1f", w.getValueAtPercentile(90) / 1e3),
        String.format(Locale.ROOT, "%.1f", w.getValueAtPercentile(99) / 1e3));
  }

  /** A job that records how long it waited between submit and run. */
  private static final class TimedJob implements Runnable {
    private final long submittedAt;
    private final @org.jspecify.annotations.Nullable Recorder wait;
    private final AtomicLong done;

    TimedJob(long submittedAt, @org.jspecify.annotations.Nullable Recorder wait, AtomicLong done) {
      this.submittedAt = submittedAt;
      this.wait = wait;
      this.done = done;
    }

    @Override
    public void run() {
      Recorder w = wait;
      if (w != null) {
        w.recordValue(Math.max(0, System.nanoTime() - submittedAt));
      }
      Blackhole.consumeCPU(16);
      done.incrementAndGet();
    }
  }
}
