package io.headroom.cache;

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
}
