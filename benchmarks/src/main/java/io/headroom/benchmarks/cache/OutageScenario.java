package io.headroom.benchmarks.cache;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.cache.CacheStats;
import io.headroom.cache.KeyCodec;
import io.headroom.cache.TieredCache;
import io.headroom.cache.ValueCodec;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Steady paced reads (a mixed hit ratio: a hot set that lives in L1, a warm set in Redis, a cold
 * tail that loads) while the Redis server is stopped for 3 s and restarted. Headroom and the
 * naive two-tier cache run side by side through the same outage. Latency is measured from each
 * read's scheduled start, so a blocked reader's backlog counts (no coordinated omission).
 */
public final class OutageScenario implements Scenario {
  private static final int READERS = 4;
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2); // 500 reads/s per reader
  private static final long BUCKET_MILLIS = 250;

  @Override
  public String id() {
    return "cache.outage";
  }

  @Override
  public String question() {
    return "When Redis stops for 3 s and comes back, do reads fail or stall, compared with a naive Caffeine + Lettuce two-tier cache?";
  }

  @Override
  public boolean needsRedis() {
    return true;
  }

  private static final class Series {
    final String impl;
    final Histogram[] buckets;
    final Histogram outage = new SynchronizedHistogram(TimeUnit.MINUTES.toNanos(2), 3);
    final Histogram all = new SynchronizedHistogram(TimeUnit.MINUTES.toNanos(2), 3);
    final AtomicLong failures = new AtomicLong();
    final AtomicLong reads = new AtomicLong();

    Series(String impl, int bucketCount) {
      this.impl = impl;
      this.buckets = new Histogram[bucketCount];
      for (int i = 0; i < bucketCount; i++) {
        buckets[i] = new SynchronizedHistogram(TimeUnit.MINUTES.toNanos(2), 3);
      }
    }
  }

  private interface Getter {
    String get(String key, Function<String, String> loader);
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    String uri = context.redisUri().orElseThrow(() -> new IllegalStateException("cache.outage needs Redis"));
    var control = context.redisControl();
    long before = context.millis(5_000, 3_000);
    long down = 3_000;
    long after = context.millis(7_000, 4_000);
    long total = before + down + after;
    int bucketCount = (int) (total / BUCKET_MILLIS) + 1;
    Series hs = new Series("headroom", bucketCount);
    Series ns = new Series("naive", bucketCount);
    ExecutorService pool = Executors.newFixedThreadPool(READERS * 2);
    RedisClient client = RedisClient.create(uri);
    AtomicBoolean stop = new AtomicBoolean();
    CacheStats headroomStats;
    try (TieredCache<String, String> headroom =
            TieredCache.<String, String>builder("outage")
                .keyCodec(KeyCodec.string())
                .valueCodec(ValueCodec.utf8())
                .maximumSize(200)
                .redisTimeout(Duration.ofMillis(100))
                .breakerFailureThreshold(5)
                .breakerCoolDown(Duration.ofMillis(500))
                .redis(client)
                .build();
        NaiveTwoTierCache naive = new NaiveTwoTierCache(uri, 200, Duration.ofMinutes(1), Duration.ofMinutes(10))) {
      long start = System.nanoTime();
      List<Future<?>> loops = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        loops.add(pool.submit(reader(context.seed() + r, start, total, stop, hs, headroom::get, before, down)));
        loops.add(pool.submit(reader(context.seed() + r, start, total, stop, ns, naive::get, before, down)));
      }
      Thread.sleep(before);
      boolean outage = control.isPresent();
      if (outage) {
        context.log().println("cache.outage: stopping Redis for " + down + " ms");
        control.get().stop();
        Thread.sleep(down);
        control.get().restart();
        context.log().println("cache.outage: Redis restarted");
      } else {
        Thread.sleep(down);
      }
      Thread.sleep(after);
      stop.set(true);
      for (Future<?> f : loops) {
        f.get(90, TimeUnit.SECONDS); // a naive reader may still be blocked on a buffered command
      }
      headroomStats = headroom.stats();
      if (!outage) {
        context.log().println("cache.outage: no Redis control (external Redis): no outage was simulated");
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
      client.shutdown();
    }
    List<String> header = List.of("t_ms", "headroom_p99_ms", "naive_p99_ms", "headroom_max_ms", "naive_max_ms");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < bucketCount; i++) {
      rows.add(List.of(Long.toString(i * BUCKET_MILLIS), ms(hs.buckets[i], 99), ms(ns.buckets[i], 99),
          ms(hs.buckets[i], 100), ms(ns.buckets[i], 100)));
    }
    List<List<String>> summary = new ArrayList<>();
    for (Series s : List.of(hs, ns)) {
      summary.add(List.of(s.impl, Long.toString(s.reads.get()), Long.toString(s.failures.get()),
          ms(s.outage, 99), ms(s.outage, 100), ms(s.all, 50), ms(s.all, 99)));
    }
    return ScenarioResult.builder(context.outputDir())
        .table("Redis outage: " + down + " ms down after " + before + " ms, " + READERS + " paced readers per cache",
            List.of("impl", "reads", "failed_reads", "p99_during_outage_ms", "max_during_outage_ms", "p50_all_ms", "p99_all_ms"), summary)
        .csv("cache-outage-latency.csv", header, rows)
        .chart(ScenarioResult.ChartKind.LINE, "Read latency p99 per 250 ms through a 3 s Redis outage", "cache-outage-latency.csv",
            "t_ms", List.of("headroom_p99_ms", "naive_p99_ms"), "time (ms)", "p99 latency (ms)")
        .note(String.format(Locale.ROOT, "Goal: 0 failed reads. Headroom failed %d of %d reads; the naive cache failed %d of %d.",
            hs.failures.get(), hs.reads.get(), ns.failures.get(), ns.reads.get()))
        .note(String.format(Locale.ROOT, "Headroom's breaker opened %d time(s); %d Redis calls bypassed, %d timeouts, %d errors.",
            headroomStats.breakerOpenings(), headroomStats.l2Bypassed(), headroomStats.l2Timeouts(), headroomStats.l2Errors()))
        .note("Latency is from each read's scheduled start (500 reads/s per reader): a stalled reader's backlog is counted.")
        .build();
  }

  private static Runnable reader(long seed, long start, long totalMillis, AtomicBoolean stop, Series s, Getter getter, long before, long down) {
    return () -> {
      SplittableRandom random = new SplittableRandom(seed);
      Function<String, String> loader = k -> {
        LockSupport.parkNanos(200_000); // the database: 0.2 ms
        return "v-" + k;
      };
      long next = System.nanoTime();
      while (!stop.get()) {
        long now = System.nanoTime();
        if (now < next) {
          LockSupport.parkNanos(next - now);
          continue;
        }
        long scheduled = next;
        next += PERIOD_NANOS;
        int p = random.nextInt(100);
        String key = p < 70 ? "hot" + random.nextInt(100) : p < 95 ? "warm" + random.nextInt(2_000) : "cold" + random.nextInt(1_000_000);
        try {
          String v = getter.get(key, loader);
          if (!v.equals("v-" + key)) {
            throw new IllegalStateException("wrong value");
          }
        } catch (RuntimeException e) {
          s.failures.incrementAndGet();
        }
        long end = System.nanoTime();
        long latency = end - scheduled;
        s.reads.incrementAndGet();
        long offsetMillis = TimeUnit.NANOSECONDS.toMillis(scheduled - start);
        int bucket = (int) Math.min(s.buckets.length - 1, Math.max(0, offsetMillis / BUCKET_MILLIS));
        s.buckets[bucket].recordValue(Math.min(latency, TimeUnit.MINUTES.toNanos(2)));
        s.all.recordValue(Math.min(latency, TimeUnit.MINUTES.toNanos(2)));
        if (offsetMillis >= before && offsetMillis < before + down) {
          s.outage.recordValue(Math.min(latency, TimeUnit.MINUTES.toNanos(2)));
        }
        if (offsetMillis > totalMillis + 60_000) {
          return;
        }
      }
    };
  }

  private static String ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return "0";
    }
    long v = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    return String.format(Locale.ROOT, "%.3f", v / 1e6);
  }
}
