package io.headroom.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a cache's {@link CacheStats} to Micrometer (an optional dependency of this module:
 * add {@code io.micrometer:micrometer-core} to use this class).
 *
 * <p>Meters, all tagged {@code cache=<name>}: {@code headroom.cache.gets} (counter;
 * {@code tier=l1|l2}, {@code result=hit|miss}), {@code headroom.cache.loads}
 * ({@code result=success|failure}), {@code headroom.cache.load.time} (counter, seconds),
 * {@code headroom.cache.l2.failures} ({@code kind=error|timeout|bypassed|write_skipped}),
 * {@code headroom.cache.invalidations} ({@code direction=sent|received}),
 * {@code headroom.cache.stale.served}, {@code headroom.cache.refreshes}
 * ({@code result=success|failure}), {@code headroom.cache.decode.failures},
 * {@code headroom.cache.values.too.large}, and gauges {@code headroom.cache.l1.size},
 * {@code headroom.cache.l1.weight}, {@code headroom.cache.l1.capacity} (saturation is weight
 * over capacity) and {@code headroom.cache.breaker.open} (0 closed, 1 open or half-open).
 *
 * <p>Each meter reads a fresh {@link CacheStats} snapshot when scraped. Thread-safe.
 */
public final class CacheMetrics implements MeterBinder {

  private final TieredCache<?, ?> cache;
  private final Tags tags;

  /** Metrics for {@code cache}, with extra {@code tags}. */
  public CacheMetrics(TieredCache<?, ?> cache, Iterable<Tag> tags) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.tags = Tags.concat(Objects.requireNonNull(tags, "tags"), "cache", cache.name());
  }

  /** Metrics for {@code cache} tagged only with its name. */
  public CacheMetrics(TieredCache<?, ?> cache) {
    this(cache, Tags.empty());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "headroom.cache.gets", CacheStats::l1Hits, "tier", "l1", "result", "hit");
    counter(registry, "headroom.cache.gets", CacheStats::l1Misses, "tier", "l1", "result", "miss");
    counter(registry, "headroom.cache.gets", CacheStats::l2Hits, "tier", "l2", "result", "hit");
    counter(registry, "headroom.cache.gets", CacheStats::l2Misses, "tier", "l2", "result", "miss");
    counter(registry, "headroom.cache.loads", CacheStats::loads, "result", "success");
    counter(registry, "headroom.cache.loads", CacheStats::loadFailures, "result", "failure");
    FunctionCounter.builder("headroom.cache.load.time", cache, c -> c.stats().totalLoadTimeNanos() / (double) TimeUnit.SECONDS.toNanos(1))
        .tags(tags).baseUnit("seconds").description("time spent in loaders").register(registry);
    counter(registry, "headroom.cache.l2.failures", CacheStats::l2Errors, "kind", "error");
    counter(registry, "headroom.cache.l2.failures", CacheStats::l2Timeouts, "kind", "timeout");
    counter(registry, "headroom.cache.l2.failures", CacheStats::l2Bypassed, "kind", "bypassed");
    counter(registry, "headroom.cache.l2.failures", CacheStats::l2WritesSkipped, "kind", "write_skipped");
    counter(registry, "headroom.cache.invalidations", CacheStats::invalidationsSent, "direction", "sent");
    counter(registry, "headroom.cache.invalidations", CacheStats::invalidationsReceived, "direction", "received");
    counter(registry, "headroom.cache.stale.served", CacheStats::staleServed);
    counter(registry, "headroom.cache.refreshes", CacheStats::refreshes, "result", "success");
    counter(registry, "headroom.cache.refreshes", CacheStats::refreshFailures, "result", "failure");
    counter(registry, "headroom.cache.decode.failures", CacheStats::decodeFailures);
    counter(registry, "headroom.cache.values.too.large", CacheStats::valuesTooLarge);
    gauge(registry, "headroom.cache.l1.size", s -> s.l1Size());
    gauge(registry, "headroom.cache.l1.weight", s -> s.l1WeightedSize());
    gauge(registry, "headroom.cache.l1.capacity", s -> s.l1Capacity());
    gauge(registry, "headroom.cache.breaker.open", s -> s.breakerState() == BreakerState.CLOSED ? 0 : 1);
  }

  private void counter(MeterRegistry registry, String name, ToDoubleFunction<CacheStats> f, String... extraTags) {
    FunctionCounter.builder(name, cache, c -> f.applyAsDouble(c.stats()))
        .tags(tags.and(extraTags))
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, ToDoubleFunction<CacheStats> f) {
    Gauge.builder(name, cache, c -> f.applyAsDouble(c.stats())).tags(tags).register(registry);
  }
}
