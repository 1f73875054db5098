package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuardMetricsTest {

  @Test
  void metersReadTheGuardsCounters() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("db");
    Guard<String> guard =
        Guard.<String>builder()
            .fallback(Fallback.of(e -> "fb"))
            .retry(RetryPolicy.<String>builder().maxAttempts(2).backoff(Duration.ZERO, Duration.ZERO).build())
            .circuitBreaker(breaker)
            .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GuardMetrics.bind(guard, "db", registry);
    guard.call(() -> "ok");
    guard.call(() -> "ok");
    guard.call(() -> { throw new IOException(); });
    assertThat(registry.get("headroom.guard.calls").tag("guard", "db").tag("result", "success").functionCounter().count())
        .isEqualTo(2.0);
    assertThat(registry.get("headroom.guard.calls").tag("result", "failure").functionCounter().count()).isEqualTo(1.0);
    assertThat(registry.get("headroom.guard.calls").tag("result", "fallback").functionCounter().count()).isEqualTo(1.0);
    assertThat(registry.get("headroom.guard.retries").functionCounter().count()).isEqualTo(1.0);
    assertThat(registry.get("headroom.guard.breaker.state").gauge().value()).isEqualTo(0.0);
    breaker.forceOpen();
    assertThat(registry.get("headroom.guard.breaker.state").gauge().value()).isEqualTo(3.0);
    guard.call(() -> "refused");
    assertThat(registry.get("headroom.guard.rejections").tag("by", "breaker").functionCounter().count()).isEqualTo(1.0);
    assertThat(registry.get("headroom.guard.retry.budget.balance").gauge().value())
        .isEqualTo(99.4, org.assertj.core.data.Offset.offset(1e-9)); // 100 reserve + 4 × 0.1 - 1
  }
}
