package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LimiterMetricsTest {

  @Test
  void exposesLimitInFlightAndCountsPerPriority() {
    AdaptiveLimiter limiter = AdaptiveLimiter.newBuilder().limit(FixedLimit.of(2)).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new LimiterMetrics(limiter, "backend").bindTo(registry);
    Permit a = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(limiter.tryAcquire(Priority.LOW)).isNull();
    Permit b = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(registry.get("headroom.limiter.limit").tag("name", "backend").gauge().value()).isEqualTo(2);
    assertThat(registry.get("headroom.limiter.inflight").gauge().value()).isEqualTo(2);
    assertThat(registry.get("headroom.limiter.queue.depth").gauge().value()).isZero();
    assertThat(registry.get("headroom.limiter.noload.rtt").gauge().value()).isNaN();
    assertThat(registry.get("headroom.limiter.accepted").tag("priority", "CRITICAL").functionCounter().count())
        .isEqualTo(2);
    assertThat(registry.get("headroom.limiter.rejected").tag("priority", "LOW").functionCounter().count())
        .isEqualTo(1);
    a.dropped();
    b.success();
    assertThat(registry.get("headroom.limiter.dropped").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("headroom.limiter.inflight").gauge().value()).isZero();
  }
}
