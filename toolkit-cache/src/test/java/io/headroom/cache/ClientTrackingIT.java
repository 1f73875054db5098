package io.headroom.cache;

import static io.headroom.cache.RedisTestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cache.testsupport.RedisExtension;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClientTrackingIT {

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static TieredCache<String, String> build(String name, RedisClient client, CacheEventListener<String> listener) {
    return TieredCache.<String, String>builder(name)
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.utf8())
        .invalidationMode(InvalidationMode.TRACKING)
        .redisTimeout(Duration.ofSeconds(1))
        .l1TtlWhileDisconnected(Duration.ofMillis(500))
        .listener(listener)
        .redis(client)
        .build();
  }

  @Test
  void writesOnOneInstanceAndOutsideTheCacheEvictOtherInstancesL1() {
    try (RedisTestClients clients = new RedisTestClients();
        TieredCache<String, String> a = build("tracking", clients.client(REDIS.uri()), new CacheEventListener<>() {});
        TieredCache<String, String> b = build("tracking", clients.client(REDIS.uri()), new CacheEventListener<>() {})) {
      assertThat(a.get("k", k -> "v1")).isEqualTo("v1");
      assertThat(eventually(Duration.ofSeconds(5), () -> b.getIfPresent("k") != null)).isTrue();
      long before = b.stats().invalidationsReceived();
      a.put("k", "v2");
      assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() > before)).isTrue();
      assertThat(b.get("k", k -> { throw new AssertionError("from L2"); })).isEqualTo("v2");
      // a recognises its own writes (load write-back, put) and keeps its L1 entry.
      assertThat(a.stats().invalidationsReceived()).isZero();
      assertThat(a.getIfPresent("k")).isEqualTo("v2");
      assertThat(a.stats().l2Hits()).isZero();

      // A write by any other client under the prefix is announced too.
      long received = a.stats().invalidationsReceived();
      try (var raw = clients.client(REDIS.uri()).connect()) {
        raw.sync().del("headroom:tracking:k");
      }
      assertThat(eventually(Duration.ofSeconds(5), () -> a.stats().invalidationsReceived() > received)).isTrue();
      assertThat(a.get("k", k -> "reloaded")).isEqualTo("reloaded");
    }
  }

  @Test
  void aLoadRacingATrackedInvalidationLeavesNothingInL1() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RedisTestClients clients = new RedisTestClients();
        TieredCache<String, String> a = build("tracking-race", clients.client(REDIS.uri()), new CacheEventListener<>() {});
        TieredCache<String, String> b = build("tracking-race", clients.client(REDIS.uri()), new CacheEventListener<>() {})) {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<String> racing = pool.submit(() -> a.get("k", k -> { entered.countDown(); TieredCacheLocalTest.await(release); return "old"; }));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      b.invalidate("k");
      assertThat(eventually(Duration.ofSeconds(5), () -> a.stats().invalidationsReceived() == 1)).isTrue();
      release.countDown();
      assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("old");
      assertThat(eventually(Duration.ofSeconds(5), () -> a.stats().racedLoadsDiscarded() == 1)).isTrue();
      assertThat(a.get("k", k -> "new")).isEqualTo("new");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void trackingIsReEnabledAfterARedisRestartAndL1IsClearedMeanwhile() {
    List<Boolean> channel = new CopyOnWriteArrayList<>();
    CacheEventListener<String> listener = new CacheEventListener<>() {
      @Override
      public void onInvalidationChannel(boolean lost) {
        channel.add(lost);
      }
    };
    try (RedisTestClients clients = new RedisTestClients();
        TieredCache<String, String> a = build("tracking-restart", clients.client(REDIS.uri()), new CacheEventListener<>() {});
        TieredCache<String, String> b = build("tracking-restart", clients.client(REDIS.uri()), listener)) {
      assertThat(b.get("k", k -> "v1")).isEqualTo("v1");
      REDIS.server().stop();
      assertThat(eventually(Duration.ofSeconds(10), () -> channel.contains(true))).isTrue();
      REDIS.server().restart();
      assertThat(eventually(Duration.ofSeconds(30), () -> channel.equals(List.of(true, false)))).isTrue();
      assertThat(b.stats().l1Size()).isZero();
      assertThat(b.get("k", k -> "v2")).isEqualTo("v2");
      long before = b.stats().invalidationsReceived();
      assertThat(eventually(Duration.ofSeconds(30), () -> {
        a.put("k", "v3");
        return b.stats().invalidationsReceived() > before;
      })).isTrue();
      assertThat(b.get("k", k -> "unexpected")).isEqualTo("v3");
    }
  }
}
