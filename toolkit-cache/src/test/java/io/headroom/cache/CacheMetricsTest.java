package io.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {

  @Test
  void metersFollowTheStatistics() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TieredCache<String, String> cache = TieredCache.<String, String>builder("users").maximumSize(100).build()) {
      new CacheMetrics(cache).bindTo(registry);
      cache.get("a", k -> "A");
      cache.get("a", k -> "A");
      cache.get("b", k -> "B");
      assertThat(registry.get("headroom.cache.gets").tags("cache", "users", "tier", "l1", "result", "hit").functionCounter().count()).isEqualTo(1.0);
      assertThat(registry.get("headroom.cache.gets").tags("tier", "l1", "result", "miss").functionCounter().count()).isEqualTo(2.0);
      assertThat(registry.get("headroom.cache.loads").tags("result", "success").functionCounter().count()).isEqualTo(2.0);
      assertThat(registry.get("headroom.cache.l1.capacity").gauge().value()).isEqualTo(100.0);
      assertThat(registry.get("headroom.cache.breaker.open").gauge().value()).isEqualTo(0.0);
      assertThat(registry.get("headroom.cache.l1.size").gauge().value()).isEqualTo(2.0);
    }
  }
}
