package io.headroom.cache;

import static io.headroom.cache.RedisTestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cache.testsupport.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoTierCacheIT {

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static RedisTestClients clients;
  private static StatefulRedisConnection<String, byte[]> raw;
  private static RedisCommands<String, byte[]> redis;
  private final List<TieredCache<?, ?>> caches = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private String name;

  @BeforeAll
  static void connect() {
    clients = new RedisTestClients();
    raw = clients.client(REDIS.uri()).connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    redis = raw.sync();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @BeforeEach
  void nameAfterTest(TestInfo info) {
    name = info.getTestMethod().orElseThrow().getName() + info.getDisplayName().hashCode();
  }

  @AfterEach
  void closeCaches() {
    caches.forEach(TieredCache::close);
    pool.shutdownNow();
  }

  private TieredCacheBuilder<String, String> builder() {
    return TieredCache.<String, String>builder(name)
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.utf8())
        .redisTimeout(Duration.ofSeconds(2))
        .redis(clients.client(REDIS.uri()));
  }

  private <K, V> TieredCache<K, V> track(TieredCache<K, V> cache) {
    caches.add(cache);
    return cache;
  }

  private static long commandCalls(String command) {
    String info = raw.sync().info("commandstats");
    Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static String storedPayload(String key) {
    byte[] b = redis.get(key);
    if (b == null) {
      return "<absent>";
    }
    if (b[0] == 0) {
      return "<tombstone>";
    }
    if (b[0] == 2) {
      return "<negative>";
    }
    if (b[0] != 1 || b.length < 25) {
      return "<not in the cache's format>"; // e.g. bytes a test wrote directly, not yet deleted
    }
    return new String(b, 25, b.length - 25, StandardCharsets.UTF_8);
  }

  @Test
  void aLoadedValueReachesRedisUnderPrefixNameKeyAndServesAnotherInstanceWithoutLoading() {
    TieredCache<String, String> a = track(builder().l2ExpireAfterWrite(Duration.ofSeconds(100)).l2TtlJitter(0.2).build());
    TieredCache<String, String> b = track(builder().build());
    assertThat(a.get("user:1", k -> "ada")).isEqualTo("ada");
    String key = "headroom:" + name + ":user:1";
    assertThat(eventually(Duration.ofSeconds(5), () -> "ada".equals(storedPayload(key)))).isTrue();
    long pttl = redis.pttl(key);
    assertThat(pttl).isBetween(79_000L, 100_000L); // 100 s × (1 − 0.2 × r)
    assertThat(b.get("user:1", k -> { throw new AssertionError("must come from L2"); })).isEqualTo("ada");
    CacheStats stats = b.stats();
    assertThat(stats.l1Misses()).isEqualTo(1);
    assertThat(stats.l2Hits()).isEqualTo(1);
    assertThat(stats.loads()).isZero();
    assertThat(b.getIfPresent("user:1")).isEqualTo("ada");
    assertThat(b.stats().l1Hits()).isEqualTo(1);
  }

  @Test
  void ttlJitterSpreadsExpiriesOfKeysWrittenTogether() {
    TieredCache<String, String> a = track(builder().l2ExpireAfterWrite(Duration.ofSeconds(1000)).l2TtlJitter(0.5).build());
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      keys.add("k" + i);
    }
    a.getAll(keys, ks -> { Map<String, String> m = new HashMap<>(); ks.forEach(k -> m.put(k, "v")); return m; });
    assertThat(eventually(Duration.ofSeconds(5), () -> redis.exists(keys.stream().map(k -> "headroom:" + name + ":" + k).toArray(String[]::new)) == 50)).isTrue();
    Set<Long> seconds = new java.util.HashSet<>();
    for (String k : keys) {
      long pttl = redis.pttl("headroom:" + name + ":" + k);
      assertThat(pttl).isBetween(499_000L, 1_000_000L);
      seconds.add(pttl / 10_000);
    }
    assertThat(seconds.size()).isGreaterThan(10);
  }

  @Test
  void getAllReadsMissesInOneMgetCallsTheBulkLoaderOnceAndWritesBackPipelined() {
    TieredCache<String, String> a = track(builder().build());
    TieredCache<String, String> b = track(builder().build());
    a.put("k0", "from-a");
    b.getIfPresent("k0");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add("k" + i);
    }
    List<Set<String>> bulkCalls = new ArrayList<>();
    long mgets = commandCalls("mget");
    long evals = commandCalls("eval");
    long gets = commandCalls("get");
    Map<String, String> got =
        b.getAll(keys, ks -> {
          bulkCalls.add(Set.copyOf(ks));
          Map<String, String> m = new HashMap<>();
          ks.forEach(k -> m.put(k, "loaded-" + k));
          return m;
        });
    assertThat(got).hasSize(100).containsEntry("k0", "from-a").containsEntry("k99", "loaded-k99");
    assertThat(bulkCalls).hasSize(1);
    assertThat(bulkCalls.get(0)).hasSize(99).doesNotContain("k0"); // k0 was an L1 hit in b
    assertThat(commandCalls("mget") - mgets).isEqualTo(1);
    assertThat(eventually(Duration.ofSeconds(5), () -> commandCalls("eval") - evals == 99)).isTrue();
    // Redis counts the GET inside each compare-and-set script: no GET of the cache's own.
    assertThat(commandCalls("get") - gets).isEqualTo(99);
    // A third instance finds all 100 in one MGET and loads nothing.
    TieredCache<String, String> c = track(builder().build());
    assertThat(eventually(Duration.ofSeconds(5), () -> "loaded-k99".equals(storedPayload("headroom:" + name + ":k99")))).isTrue();
    assertThat(c.getAll(keys, ks -> { throw new AssertionError("no load expected: " + ks); })).hasSize(100);
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void aStampedeOnAColdKeyMakesOneRedisReadAndOneLoad(Flavour flavour) throws Exception {
    TieredCache<String, String> a = track(builder().build());
    int threads = 32;
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    long gets = commandCalls("get");
    long evals = commandCalls("eval");
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return flavour.get(a, "cold", k -> { loads.incrementAndGet(); TieredCacheLocalTest.await(release); return "v"; });
      }));
    }
    assertThat(eventually(Duration.ofSeconds(10), () -> loads.get() == 1)).isTrue();
    Thread.sleep(100); // let the others queue up behind the load; correctness does not depend on it
    release.countDown();
    for (Future<String> f : results) {
      assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("v");
    }
    assertThat(loads).hasValue(1);
    // One write-back (a script, whose inner GET Redis counts too) and one GET of the cache's own.
    assertThat(eventually(Duration.ofSeconds(5), () -> commandCalls("eval") - evals == 1)).isTrue();
    assertThat(commandCalls("get") - gets).isEqualTo(2);
  }

  @Test
  void undecodableBytesAreAMissTheEntryIsDeletedAndTheFailureCounted() {
    List<String> reported = new ArrayList<>();
    TieredCache<String, String> a = track(builder().listener(new CacheEventListener<>() {
      @Override
      public void onDecodeFailure(String key, Throwable failure) {
        reported.add(key);
      }
    }).build());
    String key = "headroom:" + name + ":bad";
    redis.set(key, new byte[] {9, 9, 9});
    assertThat(a.get("bad", k -> "fresh")).isEqualTo("fresh");
    assertThat(a.stats().decodeFailures()).isEqualTo(1);
    assertThat(a.stats().l2Misses()).isEqualTo(1);
    assertThat(reported).containsExactly("bad");
    // Deleted, then replaced by the loaded value's write-back.
    assertThat(eventually(Duration.ofSeconds(5), () -> "fresh".equals(storedPayload(key)))).isTrue();

    // A codec that cannot read what is stored (an incompatible deploy) is handled the same way.
    TieredCache<String, Integer> numbers = track(TieredCache.<String, Integer>builder(name)
        .keyCodec(KeyCodec.string())
        .valueCodec(new ValueCodec<>() {
          @Override public byte[] encode(Integer v) { return v.toString().getBytes(StandardCharsets.UTF_8); }
          @Override public Integer decode(byte[] b) { return Integer.valueOf(new String(b, StandardCharsets.UTF_8)); }
        })
        .redis(clients.client(REDIS.uri())).build());
    assertThat(numbers.get("bad", k -> 7)).isEqualTo(7);
    assertThat(numbers.stats().decodeFailures()).isEqualTo(1);
  }

  @Test
  void valuesOverTheSizeLimitAreReturnedButNotCached() {
    AtomicInteger loads = new AtomicInteger();
    TieredCache<String, String> a = track(builder().maximumValueBytes(10).build());
    assertThat(a.get("big", k -> { loads.incrementAndGet(); return "x".repeat(11); })).hasSize(11);
    assertThat(a.get("big", k -> { loads.incrementAndGet(); return "x".repeat(11); })).hasSize(11);
    assertThat(loads).hasValue(2);
    assertThat(a.stats().valuesTooLarge()).isEqualTo(2);
    assertThat(redis.exists("headroom:" + name + ":big")).isZero();
    assertThat(a.get("small", k -> "x".repeat(10))).hasSize(10);
    assertThat(eventually(Duration.ofSeconds(5), () -> redis.exists("headroom:" + name + ":small") == 1)).isTrue();
  }

  @Test
  void aPutOfAValueOverTheSizeLimitStillEvictsTheOldValueEverywhere() {
    TieredCache<String, String> a = track(builder().maximumValueBytes(10).build());
    TieredCache<String, String> b = track(builder().maximumValueBytes(10).build());
    assertThat(b.get("k", x -> "small")).isEqualTo("small");
    a.put("k", "x".repeat(11));
    assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() == 1)).isTrue();
    assertThat(storedPayload("headroom:" + name + ":k")).isEqualTo("<tombstone>");
    assertThat(b.getIfPresent("k")).isNull();
    assertThat(a.stats().valuesTooLarge()).isEqualTo(1);
  }

  @Test
  void putAndInvalidateOnOneInstanceEvictOtherInstancesL1() {
    TieredCache<String, String> a = track(builder().build());
    TieredCache<String, String> b = track(builder().build());
    assertThat(a.get("k", x -> "v1")).isEqualTo("v1");
    assertThat(eventually(Duration.ofSeconds(5), () -> "v1".equals(storedPayload("headroom:" + name + ":k")))).isTrue();
    assertThat(b.get("k", x -> "unexpected")).isEqualTo("v1"); // now in b's L1

    a.put("k", "v2");
    assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() == 1)).isTrue();
    assertThat(b.get("k", x -> { throw new AssertionError("v2 is in L2"); })).isEqualTo("v2");
    assertThat(a.stats().invalidationsReceived()).isZero(); // a ignores its own message
    assertThat(a.stats().invalidationsSent()).isEqualTo(1);

    b.invalidate("k");
    assertThat(eventually(Duration.ofSeconds(5), () -> a.stats().invalidationsReceived() == 1)).isTrue();
    assertThat(a.getIfPresent("k")).isNull();
    assertThat(storedPayload("headroom:" + name + ":k")).isEqualTo("<tombstone>");
    assertThat(a.get("k", x -> "v3")).isEqualTo("v3");

    a.invalidateAll(List.of("k", "other"));
    assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() == 3)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void aLoadRacingAnInvalidationFromAnotherInstanceLeavesNothingInL1OrL2(Flavour flavour) throws Exception {
    TieredCache<String, String> a = track(builder().build());
    TieredCache<String, String> b = track(builder().build());
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> racing = pool.submit(() -> flavour.get(a, "k", k -> { entered.countDown(); TieredCacheLocalTest.await(release); return "old"; }));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    b.invalidate("k");
    assertThat(eventually(Duration.ofSeconds(5), () -> a.stats().invalidationsReceived() == 1)).isTrue();
    release.countDown();
    assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(eventually(Duration.ofSeconds(5), () -> a.stats().racedLoadsDiscarded() == 1)).isTrue();
    assertThat(storedPayload("headroom:" + name + ":k")).isEqualTo("<tombstone>");
    assertThat(a.get("k", k -> "new")).isEqualTo("new");
    assertThat(eventually(Duration.ofSeconds(5), () -> "new".equals(storedPayload("headroom:" + name + ":k")))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void aLoadRacingItsOwnInstancesInvalidateLeavesTheTombstoneInRedisAndNothingInL1(Flavour flavour) throws Exception {
    TieredCache<String, String> a = track(builder().build());
    TieredCache<String, String> b = track(builder().build());
    String key = "headroom:" + name + ":k";
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // The loader is entered only after the load has read L2 (a miss): the invalidate below comes
    // between that read and the load's write-back.
    Future<String> racing = pool.submit(() -> flavour.get(a, "k", k -> { entered.countDown(); TieredCacheLocalTest.await(release); return "old"; }));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    a.invalidate("k");
    assertThat(storedPayload(key)).isEqualTo("<tombstone>");
    release.countDown();
    assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("old"); // its own caller gets it
    // Both decisions are made before the load's callers are completed: no waiting needed.
    CacheStats afterLoad = a.stats();
    assertThat(afterLoad.racedLoadsDiscarded()).isEqualTo(1); // not put in L1
    assertThat(afterLoad.l2WritesSkipped()).isEqualTo(1); // no write-back sent
    assertThat(storedPayload(key)).isEqualTo("<tombstone>");
    assertThat(a.getIfPresent("k")).isNull();
    assertThat(a.stats().l1Hits()).isEqualTo(afterLoad.l1Hits()); // an L1 miss, then the tombstone

    AtomicInteger bLoads = new AtomicInteger();
    assertThat(b.get("k", k -> "new-" + bLoads.incrementAndGet())).isEqualTo("new-1");
    assertThat(bLoads).hasValue(1);
    assertThat(b.stats().l2Hits()).isZero();
  }

  @Test
  void closingACacheLeavesTheCallersOwnClientUsable() {
    RedisClient client = clients.client(REDIS.uri());
    try (StatefulRedisConnection<String, String> before = client.connect()) {
      TieredCache<String, String> cache =
          TieredCache.<String, String>builder(name)
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.utf8())
              .redis(client)
              .build();
      cache.put("k", "v");
      assertThat(cache.get("k", k -> { throw new AssertionError("cached"); })).isEqualTo("v");
      cache.close();
      cache.close(); // idempotent

      // A connection the caller opened before is still open, and the client opens new ones.
      assertThat(before.isOpen()).isTrue();
      assertThat(before.sync().ping()).isEqualTo("PONG");
      try (StatefulRedisConnection<String, String> after = client.connect()) {
        RedisCommands<String, String> cmd = after.sync();
        assertThat(cmd.set(name + ":own", "still-usable")).isEqualTo("OK");
        assertThat(cmd.get(name + ":own")).isEqualTo("still-usable");
        assertThat(cmd.exists("headroom:" + name + ":k")).isEqualTo(1); // close() does not clear L2
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void aLoadRacingAPutElsewhereNeverOverwritesTheNewerValueInL2(Flavour flavour) throws Exception {
    // a hears no invalidations at all: only the L2 compare-and-set protects the newer value.
    TieredCache<String, String> a = track(builder().invalidationMode(InvalidationMode.NONE).build());
    TieredCache<String, String> b = track(builder().build());
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    long evals = commandCalls("eval");
    Future<String> racing = pool.submit(() -> flavour.get(a, "k", k -> { entered.countDown(); TieredCacheLocalTest.await(release); return "old"; }));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    b.put("k", "new");
    release.countDown();
    assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(eventually(Duration.ofSeconds(5), () -> commandCalls("eval") - evals == 1)).isTrue();
    assertThat(eventually(Duration.ofSeconds(5), () -> a.stats().l2WritesSkipped() == 1)).isTrue();
    assertThat(storedPayload("headroom:" + name + ":k")).isEqualTo("new");
    TieredCache<String, String> c = track(builder().build());
    assertThat(c.get("k", k -> { throw new AssertionError("from L2"); })).isEqualTo("new");
  }

  @Test
  void negativeCachingCoversBothTiers() {
    AtomicInteger loads = new AtomicInteger();
    TieredCache<String, String> a = track(builder().negativeTtl(Duration.ofSeconds(30)).build());
    TieredCache<String, String> b = track(builder().negativeTtl(Duration.ofSeconds(30)).build());
    assertThat(a.get("none", k -> { loads.incrementAndGet(); return null; })).isNull();
    assertThat(eventually(Duration.ofSeconds(5), () -> "<negative>".equals(storedPayload("headroom:" + name + ":none")))).isTrue();
    assertThat(b.get("none", k -> { loads.incrementAndGet(); return null; })).isNull();
    assertThat(loads).hasValue(1);
    assertThat(b.stats().l2Hits()).isEqualTo(1);
    assertThat(redis.pttl("headroom:" + name + ":none")).isBetween(1L, 30_000L);
  }

  @Test
  void staleIfErrorServesAValueRedisKeptPastItsTtl() {
    FakeTime time = new FakeTime();
    List<Duration> stale = new ArrayList<>();
    TieredCache<String, String> a = track(builder().clock(time).ticker(time).l2ExpireAfterWrite(Duration.ofSeconds(10)).l2TtlJitter(0)
        .staleIfError(Duration.ofSeconds(60)).build());
    TieredCache<String, String> b = track(builder().clock(time).ticker(time).staleIfError(Duration.ofSeconds(60))
        .listener(new CacheEventListener<>() {
          @Override public void onStaleServed(String key, Duration staleness, Throwable failure) { stale.add(staleness); }
        }).build());
    assertThat(a.get("k", k -> "v1")).isEqualTo("v1");
    assertThat(eventually(Duration.ofSeconds(5), () -> "v1".equals(storedPayload("headroom:" + name + ":k")))).isTrue();
    assertThat(redis.pttl("headroom:" + name + ":k")).isGreaterThan(60_000L); // kept 10 s + 60 s
    time.advance(Duration.ofSeconds(15));
    assertThat(b.get("k", k -> { throw new IllegalStateException("db down"); })).isEqualTo("v1");
    assertThat(stale).containsExactly(Duration.ofSeconds(5));
    assertThat(b.stats().staleServed()).isEqualTo(1);
  }

  @Test
  void jsonValuesCrossTheWire() {
    TieredCache<String, CodecTest.User> a = track(TieredCache.<String, CodecTest.User>builder(name)
        .keyCodec(KeyCodec.string()).valueCodec(JsonValueCodec.of(CodecTest.User.class)).redis(clients.client(REDIS.uri())).build());
    TieredCache<String, CodecTest.User> b = track(TieredCache.<String, CodecTest.User>builder(name)
        .keyCodec(KeyCodec.string()).valueCodec(JsonValueCodec.of(CodecTest.User.class)).redis(clients.client(REDIS.uri())).build());
    a.put("u", new CodecTest.User("ada", 36));
    assertThat(storedPayload("headroom:" + name + ":u")).isEqualTo("{\"name\":\"ada\",\"age\":36}");
    assertThat(b.getIfPresent("u")).isEqualTo(new CodecTest.User("ada", 36));
  }

  @Test
  void getAsyncCompletesFromL2WithoutLoading() throws Exception {
    TieredCache<String, String> a = track(builder().build());
    TieredCache<String, String> b = track(builder().build());
    a.put("k", "v");
    CompletableFuture<String> f = b.getAsync("k", k -> CompletableFuture.failedFuture(new AssertionError("from L2")));
    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(b.stats().l2Hits()).isEqualTo(1);
  }
}
