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
                if (i % 10 == 0) {
                  a.put("p" + (i % 5), "x");
                  java.util.Map<String, String> many = a.getAll(List.of(key, "m" + (i % 13)),
                      ks -> { java.util.Map<String, String> m = new java.util.HashMap<>(); ks.forEach(k -> m.put(k, "v-" + k)); return m; });
                  if (!("v-" + key).equals(many.get(key))) {
                    throw new AssertionError("wrong getAll value " + many);
                  }
                }
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

  @Test
  void getAsyncReturnsAtOnceWhileRedisIsDownAndCompletesFromTheLoader() throws Exception {
    try (RedisTestClients clients = new RedisTestClients();
        TieredCache<String, String> cache =
            TieredCache.<String, String>builder("async-outage")
                .keyCodec(KeyCodec.string())
                .valueCodec(ValueCodec.utf8())
                .redisTimeout(Duration.ofSeconds(1))
                .redis(clients.client(REDIS.uri()))
                .build()) {
      REDIS.server().stop();
      try {
        // The GET is buffered by Lettuce until our 1 s timeout: a getAsync that waited for Redis
        // would hand back a completed future; this one must come back pending.
        java.util.concurrent.CompletableFuture<String> f =
            cache.getAsync("k", k -> java.util.concurrent.CompletableFuture.completedFuture("loaded"));
        assertThat(f).isNotDone();
        assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("loaded");
        CacheStats stats = cache.stats();
        assertThat(stats.l2Timeouts() + stats.l2Errors()).isEqualTo(1);
        assertThat(stats.loads()).isEqualTo(1);
      } finally {
        REDIS.server().restart();
      }
    }
  }

  @Test
  void aCacheBuiltFromAUriRejectsCommandsWhileDisconnectedAndStillServesEveryRead() {
    TieredCache<String, String> cache =
        TieredCache.<String, String>builder("uri-outage")
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.utf8())
            .redisTimeout(Duration.ofSeconds(1))
            .breakerFailureThreshold(2)
            .breakerCoolDown(Duration.ofMillis(200))
            .redisUri(REDIS.uri())
            .build();
    try {
      assertThat(cache.get("a", k -> "A")).isEqualTo("A");
      REDIS.server().stop();
      for (int i = 0; i < 20; i++) {
        assertThat(cache.get("k" + i, k -> "v" + k.substring(1))).isEqualTo("v" + i);
      }
      CacheStats down = cache.stats();
      assertThat(down.breakerOpenings()).isEqualTo(1);
      assertThat(down.l2Errors() + down.l2Timeouts()).isGreaterThanOrEqualTo(2);
      assertThat(down.loads()).isEqualTo(21);
      REDIS.server().restart();
      // No read reaches L2 now (all L1 hits): the cache's own housekeeping starts the probe.
      assertThat(eventually(Duration.ofSeconds(30), () -> cache.stats().breakerState() == BreakerState.CLOSED)).isTrue();
      assertThat(cache.get("after", k -> "B")).isEqualTo("B");
      assertThat(cache.stats().l2Misses()).isEqualTo(down.l2Misses() + 1); // L2 was asked again
    } finally {
      cache.close();
    }
  }

  @Test
  void l1IsClearedWhenTheSubscriptionComesBackBecauseInvalidationsWereMissed() {
    Events events = new Events();
    try (RedisTestClients clients = new RedisTestClients();
        TieredCache<String, String> b =
            TieredCache.<String, String>builder("clear-on-reconnect")
                .keyCodec(KeyCodec.string())
                .valueCodec(ValueCodec.utf8())
                .redisTimeout(Duration.ofSeconds(1))
                .l1TtlWhileDisconnected(Duration.ofSeconds(60)) // long: only the clear can drop it
                .listener(events)
                .redis(clients.client(REDIS.uri()))
                .build()) {
      assertThat(b.get("pinned", k -> "p1")).isEqualTo("p1");
      REDIS.server().stop();
      assertThat(eventually(Duration.ofSeconds(10), () -> events.channelLost.contains(true))).isTrue();
      assertThat(b.getIfPresent("pinned")).isEqualTo("p1"); // capped to 60 s, still in L1
      REDIS.server().restart(); // comes back empty: nothing persisted
      assertThat(eventually(Duration.ofSeconds(30), () -> events.channelLost.equals(List.of(true, false)))).isTrue();
      assertThat(b.stats().l1Size()).isZero();
      assertThat(b.get("pinned", k -> "p2")).isEqualTo("p2");
    }
  }
}
