package io.headroom.cache;

import static io.headroom.cache.RedisTestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cache.testsupport.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisOutageIT {

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  static final class Events implements CacheEventListener<String> {
    final List<String> breaker = new CopyOnWriteArrayList<>();
    final List<Boolean> channelLost = new CopyOnWriteArrayList<>();

    @Override
    public void onBreakerStateChange(BreakerState from, BreakerState to) {
      breaker.add(from + "->" + to);
    }

    @Override
    public void onInvalidationChannel(boolean lost) {
      channelLost.add(lost);
    }
  }

  @Test
  void readsNeverFailWhileRedisIsDownAndEverythingRecoversAfterRestart() throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(4);
    try (RedisTestClients clients = new RedisTestClients()) {
      Events eventsA = new Events();
      Events eventsB = new Events();
      java.util.function.Function<Events, TieredCache<String, String>> build = events ->
          TieredCache.<String, String>builder("outage")
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.utf8())
              .redisTimeout(Duration.ofMillis(200))
              .breakerFailureThreshold(3)
              .breakerCoolDown(Duration.ofMillis(300))
              .l1ExpireAfterWrite(Duration.ofMinutes(5))
              .l1TtlWhileDisconnected(Duration.ofMillis(500))
              .listener(events)
              .redis(clients.client(REDIS.uri()))
              .build();
      try (TieredCache<String, String> a = build.apply(eventsA);
          TieredCache<String, String> b = build.apply(eventsB)) {
        assertThat(b.get("pinned", k -> "p1")).isEqualTo("p1"); // in b's L1 with a 5 min TTL

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Throwable> firstFailures = new CopyOnWriteArrayList<>();
        List<Future<?>> loops = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int seed = t;
          loops.add(readers.submit(() -> {
            long i = seed;
            while (!stop.get()) {
              String key = "k" + (i++ % 50);
              try {
                String v = (i % 2 == 0) ? a.get(key, k -> "v-" + k) : a.getAsync(key, k -> java.util.concurrent.CompletableFuture.completedFuture("v-" + k)).get(5, TimeUnit.SECONDS);
                if (!("v-" + key).equals(v)) {
                  throw new AssertionError("wrong value " + v + " for " + key);
                }
                a.invalidate("k" + (i % 7)); // writes during the outage must not throw either
              } catch (Throwable e) {
                failures.incrementAndGet();
                if (firstFailures.size() < 3) {
                  firstFailures.add(e);
                }
              }
              reads.incrementAndGet();
            }
          }));
        }
        assertThat(eventually(Duration.ofSeconds(10), () -> reads.get() > 200)).isTrue();

        REDIS.server().stop();
        long readsAtStop = reads.get();
        assertThat(eventually(Duration.ofSeconds(10), () -> a.stats().breakerState() != BreakerState.CLOSED)).isTrue();
        assertThat(eventually(Duration.ofSeconds(10), () -> eventsB.channelLost.contains(true))).isTrue();
        // With the subscription lost, b's L1 lifetimes are capped to 500 ms: "pinned" leaves L1,
        // and with L2 bypassed nothing answers for it any more.
        assertThat(eventually(Duration.ofSeconds(10), () -> b.getIfPresent("pinned") == null)).isTrue();
        assertThat(eventually(Duration.ofSeconds(10), () -> reads.get() > readsAtStop + 200)).isTrue();
        Thread.sleep(500);

        REDIS.server().restart();
        assertThat(eventually(Duration.ofSeconds(30), () -> a.stats().breakerState() == BreakerState.CLOSED)).isTrue();
        assertThat(eventually(Duration.ofSeconds(30), () -> eventsA.channelLost.equals(List.of(true, false))
            && eventsB.channelLost.equals(List.of(true, false)))).isTrue();
        long readsAtRestart = reads.get();
        assertThat(eventually(Duration.ofSeconds(10), () -> reads.get() > readsAtRestart + 200)).isTrue();
        stop.set(true);
        for (Future<?> f : loops) {
          f.get(20, TimeUnit.SECONDS);
        }
        assertThat(firstFailures).isEmpty();
        assertThat(failures).hasValue(0);

        CacheStats stats = a.stats();
        assertThat(stats.breakerOpenings()).isGreaterThanOrEqualTo(1);
        assertThat(stats.l2Bypassed()).isPositive();
        assertThat(stats.l2WritesSkipped()).isPositive();
        assertThat(stats.l2Errors() + stats.l2Timeouts()).isPositive();
        assertThat(stats.subscriptionLosses()).isEqualTo(1);
        assertThat(eventsA.breaker).contains("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");

        // Invalidations work again after the restart.
        assertThat(b.get("after", k -> "one")).isEqualTo("one");
        long received = b.stats().invalidationsReceived();
        a.put("after", "two");
        assertThat(eventually(Duration.ofSeconds(10), () -> b.stats().invalidationsReceived() == received + 1)).isTrue();
        assertThat(b.get("after", k -> "unexpected")).isEqualTo("two");
      }
    } finally {
      readers.shutdownNow();
    }
  }
}
