package io.headroom.shedding;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Exposes an {@link AdaptiveLimiter} to Micrometer (an optional dependency: add
 * {@code micrometer-core} to use this class). Meters, all tagged {@code name=<name>}:
 *
 * <ul>
 *   <li>gauges {@code headroom.limiter.limit}, {@code headroom.limiter.inflight},
 *       {@code headroom.limiter.queue.depth}, {@code headroom.limiter.noload.rtt} (seconds, NaN
 *       until known);
 *   <li>function counters {@code headroom.limiter.accepted}, {@code headroom.limiter.rejected}
 *       tagged {@code priority}, and {@code headroom.limiter.dropped}.
 * </ul>
 *
 * <p>Meters read the limiter when scraped; nothing is added to the request path. Immutable.
 */
public final class LimiterMetrics implements MeterBinder {
  private final AdaptiveLimiter limiter;
  private final String name;

  /** Binds {@code limiter}'s meters under the tag {@code name}. */
  public LimiterMetrics(AdaptiveLimiter limiter, String name) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Tags tags = Tags.of("name", name);
    Gauge.builder("headroom.limiter.limit", limiter, AdaptiveLimiter::limit)
        .tags(tags)
        .description("Concurrency limit")
        .register(registry);
    Gauge.builder("headroom.limiter.inflight", limiter, AdaptiveLimiter::inFlight)
        .tags(tags)
        .description("Requests admitted and not completed")
        .register(registry);
    Gauge.builder("headroom.limiter.queue.depth", limiter, AdaptiveLimiter::queueDepth)
        .tags(tags)
        .description("Callers waiting for a permit")
        .register(registry);
    Gauge.builder(
            "headroom.limiter.noload.rtt",
            limiter,
            l -> l.snapshot().noLoadRtt().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
        .tags(tags)
        .baseUnit("seconds")
        .description("Estimated round-trip time without queueing")
        .register(registry);
    for (Priority p : Priority.values()) {
      Tags pt = tags.and("priority", p.name());
      FunctionCounter.builder("headroom.limiter.accepted", limiter, l -> l.snapshot().accepted(p))
          .tags(pt)
          .description("Requests admitted")
          .register(registry);
      FunctionCounter.builder("headroom.limiter.rejected", limiter, l -> l.snapshot().rejected(p))
          .tags(pt)
          .description("Requests shed")
          .register(registry);
    }
    FunctionCounter.builder("headroom.limiter.dropped", limiter, l -> l.snapshot().dropped())
        .tags(tags)
        .description("Permits completed as dropped (downstream timeout or refusal)")
        .register(registry);
  }
}
