package io.headroom.benchmarks.cache;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.cache.KeyCodec;
import io.headroom.cache.TieredCache;
import io.headroom.cache.ValueCodec;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * 200 threads ask for one cold key at the same moment; the loader takes 20 ms. Counts loader
 * calls and Redis reads (GETs of the cache itself) for Headroom and for the naive two-tier
 * cache, and the p50/p99 of the callers' wait.
 */
public final class StampedeScenario implements Scenario {
  private static final int THREADS = 200;

  @Override
  public String id() {
    return "cache.stampede";
  }

  @Override
  public String question() {
    return "When 200 threads miss the same cold key at once, how many loads and Redis reads happen, and how long do callers wait?";
  }

  @Override
  public boolean needsRedis() {
    return true;
  }

  private record Outcome(String impl, int loads, long redisReads, Histogram waits) {}

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    String uri = context.redisUri().orElseThrow(() -> new IllegalStateException("cache.stampede needs Redis"));
    int rounds = context.quick() ? 3 : 10;
    List<Outcome> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (RedisStats stats = new RedisStats(uri)) {
      RedisClient client = RedisClient.create(uri);
      try (TieredCache<String, String> headroom =
          TieredCache.<String, String>builder("stampede")
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.utf8())
              .redisTimeout(Duration.ofSeconds(1))
              .redis(client)
              .build()) {
        outcomes.add(measure("headroom", rounds, pool, stats, (k, loader) -> headroom.get(k, loader)));
      } finally {
        client.shutdown();
      }
      try (NaiveTwoTierCache naive = new NaiveTwoTierCache(uri, 10_000, Duration.ofMinutes(1), Duration.ofMinutes(10))) {
        outcomes.add(measure("naive", rounds, pool, stats, naive::get));
      }
    } finally {
      pool.shutdownNow();
    }
    List<List<String>> rows = new ArrayList<>();
    for (Outcome o : outcomes) {
      rows.add(List.of(
          o.impl(),
          fmt(o.loads() / (double) rounds),
          fmt(o.redisReads() / (double) rounds),
          fmt(o.waits().getValueAtPercentile(50) / 1e6),
          fmt(o.waits().getValueAtPercentile(99) / 1e6),
          fmt(o.waits().getMaxValue() / 1e6)));
    }
    List<String> header = List.of("impl", "loader_calls_per_key", "redis_reads_per_key", "p50_wait_ms", "p99_wait_ms", "max_wait_ms");
    Outcome h = outcomes.get(0);
    return ScenarioResult.builder(context.outputDir())
        .table("Stampede: " + THREADS + " threads, one cold key, loader 20 ms (" + rounds + " rounds)", header, rows)
        .csv("cache-stampede.csv", header, rows)
        .chart(ScenarioResult.ChartKind.BAR, "Stampede: wait per caller", "cache-stampede.csv", "impl",
            List.of("p50_wait_ms", "p99_wait_ms"), "implementation", "ms")
        .note(String.format(Locale.ROOT, "Goal: 1 loader call and 1 Redis read per cold key; Headroom measured %s and %s.",
            fmt(h.loads() / (double) rounds), fmt(h.redisReads() / (double) rounds)))
        .note("Redis reads are GETs counted by INFO commandstats, minus the GET inside each of Headroom's compare-and-set write-back scripts.")
        .build();
  }

  private interface Getter {
    String get(String key, Function<String, String> loader);
  }

  private static Outcome measure(String impl, int rounds, ExecutorService pool, RedisStats stats, Getter getter) throws Exception {
    AtomicInteger loads = new AtomicInteger();
    Histogram waits = new SynchronizedHistogram(TimeUnit.MINUTES.toNanos(1), 3);
    long gets0 = stats.calls("get");
    long evals0 = stats.calls("eval");
    for (int r = 0; r < rounds; r++) {
      String key = impl + "-cold-" + r + "-" + System.nanoTime();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        fs.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          long t0 = System.nanoTime();
          String v = getter.get(key, k -> {
            loads.incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            return "value-of-" + k;
          });
          waits.recordValue(System.nanoTime() - t0);
          if (!v.equals("value-of-" + key)) {
            throw new IllegalStateException("wrong value " + v);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    Thread.sleep(300); // let asynchronous write-backs land before reading the counters
    long evals = stats.calls("eval") - evals0;
    long reads = stats.calls("get") - gets0 - evals;
    return new Outcome(impl, loads.get(), reads, waits);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
