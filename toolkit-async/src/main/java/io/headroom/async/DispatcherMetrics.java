package io.headroom.async;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Publishes a {@link Dispatcher}'s {@link DispatcherStats} to Micrometer (an optional dependency:
 * add {@code micrometer-core} to use this class).
 *
 * <p>Meters, each tagged {@code dispatcher=<name>}:
 * <ul>
 *   <li>{@code headroom.async.jobs} (function counter) with tag {@code outcome} = submitted,
 *       rejected.full, rejected.shutdown, caller.ran, dropped, completed, failed, retried,
 *       dead.lettered, hook.errors;
 *   <li>{@code headroom.async.queue.depth} and {@code headroom.async.queue.capacity} (gauges)
 *       with tag {@code lane};
 *   <li>{@code headroom.async.queue.wait} and {@code headroom.async.run.time} (gauges, seconds)
 *       with tag {@code quantile} = 0.5, 0.9, 0.99, 0.999 — over the dispatcher's lifetime.
 * </ul>
 *
 * <p>Each meter read takes a fresh {@link Dispatcher#stats()} snapshot (a few microseconds);
 * fine at scrape intervals, not for hot paths. Thread-safe.
 */
public final class DispatcherMetrics implements MeterBinder {
  private final Dispatcher dispatcher;

  /** A binder for {@code dispatcher}. */
  public DispatcherMetrics(Dispatcher dispatcher) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Tags tags = Tags.of("dispatcher", dispatcher.name());
    counter(registry, tags, "submitted", DispatcherStats::submitted);
    counter(registry, tags, "rejected.full", DispatcherStats::rejectedFull);
    counter(registry, tags, "rejected.shutdown", DispatcherStats::rejectedShutdown);
    counter(registry, tags, "caller.ran", DispatcherStats::callerRan);
    counter(registry, tags, "dropped", DispatcherStats::dropped);
    counter(registry, tags, "completed", DispatcherStats::completed);
    counter(registry, tags, "failed", DispatcherStats::failed);
    counter(registry, tags, "retried", DispatcherStats::retried);
    counter(registry, tags, "dead.lettered", DispatcherStats::deadLettered);
    counter(registry, tags, "hook.errors", DispatcherStats::hookErrors);
    for (Lane lane : Lane.values()) {
      Tags laneTags = tags.and(Tag.of("lane", lane.name().toLowerCase(java.util.Locale.ROOT)));
      gauge(registry, "headroom.async.queue.depth", laneTags, s -> s.queueDepth(lane), "jobs queued");
      gauge(registry, "headroom.async.queue.capacity", laneTags, s -> s.capacity(lane), "lane capacity");
    }
    quantiles(registry, tags, "headroom.async.queue.wait", s -> s.queueWait());
    quantiles(registry, tags, "headroom.async.run.time", s -> s.runTime());
  }

  private void counter(MeterRegistry registry, Tags tags, String outcome, ToLongFunction<DispatcherStats> f) {
    FunctionCounter.builder("headroom.async.jobs", dispatcher, d -> f.applyAsLong(d.stats()))
        .tags(tags.and("outcome", outcome))
        .description("jobs by outcome")
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry, String name, Tags tags, ToDoubleFunction<DispatcherStats> f, String description) {
    Gauge.builder(name, dispatcher, d -> f.applyAsDouble(d.stats()))
        .tags(tags)
        .description(description)
        .register(registry);
  }

  private interface LatencyOf {
    DispatcherStats.Latency of(DispatcherStats stats);
  }

  private void quantiles(MeterRegistry registry, Tags tags, String name, LatencyOf latency) {
    gauge(registry, name, tags.and("quantile", "0.5"), s -> latency.of(s).p50() / 1e9, "seconds");
    gauge(registry, name, tags.and("quantile", "0.9"), s -> latency.of(s).p90() / 1e9, "seconds");
    gauge(registry, name, tags.and("quantile", "0.99"), s -> latency.of(s).p99() / 1e9, "seconds");
    gauge(registry, name, tags.and("quantile", "0.999"), s -> latency.of(s).p999() / 1e9, "seconds");
  }
}
