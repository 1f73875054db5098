package io.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Lettuce clients for tests (fast reconnect), shut down together. */
final class RedisTestClients implements AutoCloseable {
  private final List<RedisClient> clients = new ArrayList<>();
  private final ClientResources resources =
      ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();

  RedisClient client(String uri) {
    RedisClient c = RedisClient.create(resources, RedisURI.create(uri));
    c.setDefaultTimeout(Duration.ofSeconds(5));
    clients.add(c);
    return c;
  }

  @Override
  public void close() {
    for (RedisClient c : clients) {
      c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    resources.shutdown();
  }

  /** Polls {@code condition} every 10 ms for at most {@code timeout}; false if it never held. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /**
   * The two-instance round trip every deployment test runs: a value {@code a} loads reaches Redis
   * ({@code storedInRedis} polls for it) and {@code b} reads it from L2; {@code a}'s put and
   * invalidate reach {@code b}'s L1; no L2 error on either side. Uses key {@code "k"}.
   */
  static void assertGetPutAndInvalidateAcross(
      TieredCache<String, String> a, TieredCache<String, String> b, BooleanSupplier storedInRedis) {
    assertThat(a.get("k", x -> "v1")).isEqualTo("v1");
    assertThat(eventually(Duration.ofSeconds(5), storedInRedis)).isTrue();
    assertThat(b.get("k", x -> { throw new AssertionError("must come from L2"); })).isEqualTo("v1");

    long received = b.stats().invalidationsReceived();
    a.put("k", "v2");
    assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() > received)).isTrue();
    assertThat(b.get("k", x -> { throw new AssertionError("must come from L2"); })).isEqualTo("v2");

    long received2 = b.stats().invalidationsReceived();
    a.invalidate("k");
    assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() > received2)).isTrue();
    assertThat(b.get("k", x -> "v3")).isEqualTo("v3");
    assertThat(a.stats().l2Errors() + b.stats().l2Errors()).isZero();
  }
}
