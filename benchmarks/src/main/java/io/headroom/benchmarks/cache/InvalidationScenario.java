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
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Two instances on separate connections; instance A invalidates a key that B holds in L1. The
 * time from the start of A's {@code invalidate} until B has applied it (B's L1 no longer serves
 * the key; observed through B's received-invalidations counter), over loopback.
 */
public final class InvalidationScenario implements Scenario {

  @Override
  public String id() {
    return "cache.invalidation";
  }

  @Override
  public String question() {
    return "How long after invalidate on one instance does another instance's L1 stop serving the key?";
  }

  @Override
  public boolean needsRedis() {
    return true;
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    String uri = context.redisUri().orElseThrow(() -> new IllegalStateException("cache.invalidation needs Redis"));
    int samples = context.quick() ? 300 : 3_000;
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    int lost = 0;
    RedisClient ca = RedisClient.create(uri);
    RedisClient cb = RedisClient.create(uri);
    try (TieredCache<String, String> a = build(ca);
        TieredCache<String, String> b = build(cb)) {
      for (int i = 0; i < samples + 50; i++) {
        String key = "k" + i;
        b.get(key, k -> "v");
        long received = b.stats().invalidationsReceived();
        long t0 = System.nanoTime();
        a.invalidate(key);
        long deadline = t0 + TimeUnit.SECONDS.toNanos(5);
        while (b.stats().invalidationsReceived() == received && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        long t = System.nanoTime() - t0;
        if (b.stats().invalidationsReceived() == received) {
          lost++;
        } else if (i >= 50) { // the first 50 are warm-up
          h.recordValue(t);
        }
      }
    } finally {
      ca.shutdown();
      cb.shutdown();
    }
    List<String> header = List.of("percentile", "micros");
    List<List<String>> rows = new ArrayList<>();
    for (double p : new double[] {50, 90, 99, 99.9, 100}) {
      long v = p >= 100 ? h.getMaxValue() : h.getValueAtPercentile(p);
      rows.add(List.of(String.format(Locale.ROOT, "p%s", p == Math.floor(p) ? Long.toString((long) p) : Double.toString(p)),
          String.format(Locale.ROOT, "%.1f", v / 1e3)));
    }
    return ScenarioResult.builder(context.outputDir())
        .table("Invalidation propagation between two instances (" + samples + " samples, loopback)", header, rows)
        .csv("cache-invalidation.csv", header, rows)
        .chart(ScenarioResult.ChartKind.BAR, "Invalidation propagation", "cache-invalidation.csv", "percentile",
            List.of("micros"), "percentile", "µs")
        .note(String.format(Locale.ROOT, "p50 %.1f µs, p99 %.1f µs; %d invalidations not seen within 5 s.",
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, lost))
        .note("Includes A's tombstone write and PUBLISH round trip; B applies the message on a Lettuce I/O thread.")
        .build();
  }

  private static TieredCache<String, String> build(RedisClient client) {
    return TieredCache.<String, String>builder("invalidation")
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.utf8())
        .redisTimeout(Duration.ofSeconds(1))
        .redis(client)
        .build();
  }
}
