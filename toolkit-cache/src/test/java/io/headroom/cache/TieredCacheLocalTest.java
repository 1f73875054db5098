package io.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TieredCacheLocalTest {

  private final FakeTime time = new FakeTime();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  private TieredCacheBuilder<String, String> builder() {
    return TieredCache.<String, String>builder("local").ticker(time).clock(time).executor(Runnable::run);
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void loadsOnceThenServesFromL1UntilTheL1TtlExpires(Flavour flavour) {
    AtomicInteger loads = new AtomicInteger();
    try (TieredCache<String, String> cache = builder().l1ExpireAfterWrite(Duration.ofSeconds(10)).build()) {
      assertThat(flavour.get(cache, "a", k -> k + loads.incrementAndGet())).isEqualTo("a1");
      assertThat(flavour.get(cache, "a", k -> k + loads.incrementAndGet())).isEqualTo("a1");
      time.advance(Duration.ofSeconds(9));
      assertThat(flavour.get(cache, "a", k -> k + loads.incrementAndGet())).isEqualTo("a1");
      time.advance(Duration.ofSeconds(2));
      assertThat(flavour.get(cache, "a", k -> k + loads.incrementAndGet())).isEqualTo("a2");
      CacheStats stats = cache.stats();
      assertThat(stats.l1Hits()).isEqualTo(2);
      assertThat(stats.l1Misses()).isEqualTo(2);
      assertThat(stats.loads()).isEqualTo(2);
      assertThat(stats.l2Hits()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void concurrentMissesShareOneLoadAndAllGetItsValue(Flavour flavour) throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loaderEntered = new CountDownLatch(1);
    try (TieredCache<String, String> cache = TieredCache.<String, String>builder("sf").build()) {
      Future<String> first =
          pool.submit(
              () ->
                  cache.get(
                      "k",
                      k -> {
                        loads.incrementAndGet();
                        loaderEntered.countDown();
                        await(release);
                        return "v";
                      }));
      assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
      int waiters = 40;
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        results.add(pool.submit(() -> flavour.get(cache, "k", k -> "other" + loads.incrementAndGet())));
      }
      // Every waiter is now either joined to the in-flight load or not yet started; the load
      // cannot finish before release, so all of them must share it.
      Thread.sleep(50); // lets waiters reach the join; correctness does not depend on it
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v");
      for (Future<String> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v");
      }
      assertThat(loads).hasValue(1);
      assertThat(cache.stats().loads()).isEqualTo(1);
    }
  }

  @Test
  void getAsyncNeverBlocksOnAnotherCallersLoad() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loaderEntered = new CountDownLatch(1);
    try (TieredCache<String, String> cache = TieredCache.<String, String>builder("async").build()) {
      Future<String> first =
          pool.submit(() -> cache.get("k", k -> { loaderEntered.countDown(); await(release); return "v"; }));
      assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        // Returns at once although the key's load is blocked.
        futures.add(cache.getAsync("k", k -> CompletableFuture.completedFuture("never")));
      }
      assertThat(futures).noneMatch(CompletableFuture::isDone);
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v");
      for (CompletableFuture<String> f : futures) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void aFailedLoadReachesEveryWaiterAndCachesNothing(Flavour flavour) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loaderEntered = new CountDownLatch(1);
    AtomicInteger loaderCalls = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("boom");
    try (TieredCache<String, String> cache = TieredCache.<String, String>builder("fail").build()) {
      Future<String> first =
          pool.submit(
              () ->
                  cache.get(
                      "k",
                      k -> {
                        loaderCalls.incrementAndGet();
                        loaderEntered.countDown();
                        await(release);
                        throw boom;
                      }));
      assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
      int n = 10;
      List<FutureTask<String>> waiters = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        FutureTask<String> w =
            new FutureTask<>(
                () ->
                    flavour.get(
                        cache,
                        "k",
                        k -> {
                          loaderCalls.incrementAndGet();
                          throw new IllegalStateException("second load");
                        }));
        Thread t = new Thread(w, "waiter-" + i);
        t.setDaemon(true);
        waiters.add(w);
        threads.add(t);
        t.start();
      }
      // The load cannot finish before release, so a thread parked on a CompletableFuture has
      // joined it (SYNC: join on the shared future; ASYNC: get on the copy getAsync returned).
      for (Thread t : threads) {
        assertThat(RedisTestClients.eventually(Duration.ofSeconds(10), () -> parkedOnAFuture(t)))
            .as("%s joined the in-flight load", t.getName())
            .isTrue();
      }
      assertThat(first.isDone()).isFalse();
      release.countDown();
      assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCause(boom);
      for (FutureTask<String> w : waiters) {
        assertThatThrownBy(() -> w.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
      }
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
      assertThat(loaderCalls).hasValue(1);
      CacheStats stats = cache.stats();
      assertThat(stats.loadFailures()).isEqualTo(1);
      assertThat(stats.loads()).isZero();
      assertThat(stats.l1Size()).isZero();
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(cache.get("k", k -> "ok")).isEqualTo("ok");
    }
  }

  /** Whether {@code t} is parked inside CompletableFuture.join/get (and so waits on a load). */
  private static boolean parkedOnAFuture(Thread t) {
    Thread.State state = t.getState();
    if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
      return false;
    }
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().equals(CompletableFuture.class.getName())
          && Set.of("join", "get", "waitingGet", "timedGet").contains(frame.getMethodName())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void manyThreadsManyKeysLoadEachKeyExactlyOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    int threads = 16;
    int keys = 500;
    try (TieredCache<String, String> cache = TieredCache.<String, String>builder("contended").maximumSize(10_000).build()) {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        boolean async = t % 2 == 0;
        workers.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  int ok = 0;
                  for (int i = 0; i < keys; i++) {
                    String key = "k" + i;
                    String v =
                        async
                            ? cache.getAsync(key, k -> CompletableFuture.supplyAsync(() -> load(k, loads, perKey))).get(10, TimeUnit.SECONDS)
                            : cache.get(key, k -> load(k, loads, perKey));
                    if (("v-" + key).equals(v)) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      for (Future<Integer> w : workers) {
        assertThat(w.get(50, TimeUnit.SECONDS)).isEqualTo(keys);
      }
      assertThat(loads).hasValue(keys);
      assertThat(perKey.values()).allSatisfy(n -> assertThat(n).hasValue(1));
      CacheStats stats = cache.stats();
      assertThat(stats.l1Hits() + stats.l1Misses()).isEqualTo((long) threads * keys);
      assertThat(stats.loads()).isEqualTo(keys);
    }
  }

  private static String load(String k, AtomicInteger loads, Map<String, AtomicInteger> perKey) {
    loads.incrementAndGet();
    perKey.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
    return "v-" + k;
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void loadRacingALocalInvalidationLeavesNothingInL1(Flavour flavour) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loaderEntered = new CountDownLatch(1);
    try (TieredCache<String, String> cache = builder().build()) {
      Future<String> racing =
          pool.submit(() -> flavour.get(cache, "k", k -> { loaderEntered.countDown(); await(release); return "old"; }));
      assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
      cache.invalidate("k");
      release.countDown();
      assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("old"); // its own callers get it
      assertThat(cache.getIfPresent("k")).isNull(); // but it is not cached
      assertThat(cache.stats().racedLoadsDiscarded()).isEqualTo(1);
      assertThat(cache.get("k", k -> "new")).isEqualTo("new");
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void loadRacingAPutDoesNotOverwriteThePutValue(Flavour flavour) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loaderEntered = new CountDownLatch(1);
    try (TieredCache<String, String> cache = builder().build()) {
      Future<String> racing =
          pool.submit(() -> flavour.get(cache, "k", k -> { loaderEntered.countDown(); await(release); return "old"; }));
      assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
      cache.put("k", "new");
      release.countDown();
      assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("old");
      assertThat(cache.getIfPresent("k")).isEqualTo("new");
    }
  }

  @Test
  void aReadAfterAnInvalidationDoesNotJoinTheLoadThatStartedBeforeIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loaderEntered = new CountDownLatch(1);
    try (TieredCache<String, String> cache = builder().build()) {
      Future<String> racing =
          pool.submit(() -> cache.get("k", k -> { loaderEntered.countDown(); await(release); return "old"; }));
      assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
      cache.invalidate("k");
      assertThat(cache.get("k", k -> "new")).isEqualTo("new");
      release.countDown();
      assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("old");
      assertThat(cache.getIfPresent("k")).isEqualTo("new");
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void negativeCachingStoresAbsentForItsOwnTtlOnlyWhenEnabled(Flavour flavour) {
    AtomicInteger loads = new AtomicInteger();
    try (TieredCache<String, String> off = builder().build()) {
      assertThat(flavour.get(off, "x", k -> { loads.incrementAndGet(); return null; })).isNull();
      assertThat(flavour.get(off, "x", k -> { loads.incrementAndGet(); return null; })).isNull();
      assertThat(loads).hasValue(2);
    }
    loads.set(0);
    try (TieredCache<String, String> on = builder().negativeTtl(Duration.ofSeconds(5)).build()) {
      assertThat(flavour.get(on, "x", k -> { loads.incrementAndGet(); return null; })).isNull();
      assertThat(flavour.get(on, "x", k -> { loads.incrementAndGet(); return null; })).isNull();
      assertThat(loads).hasValue(1);
      time.advance(Duration.ofSeconds(6));
      assertThat(flavour.get(on, "x", k -> { loads.incrementAndGet(); return "now"; })).isEqualTo("now");
      assertThat(loads).hasValue(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void refreshAheadServesTheCurrentValueAndReloadsOnceInTheBackground(Flavour flavour) {
    AtomicInteger loads = new AtomicInteger();
    try (TieredCache<String, String> cache =
        builder().l1ExpireAfterWrite(Duration.ofSeconds(60)).refreshAfter(Duration.ofSeconds(10)).build()) {
      assertThat(flavour.get(cache, "k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      time.advance(Duration.ofSeconds(5));
      assertThat(flavour.get(cache, "k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(loads).hasValue(1);
      time.advance(Duration.ofSeconds(6));
      // Old enough: returns v1 and (with the direct executor, at once) reloads.
      assertThat(flavour.get(cache, "k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(loads).hasValue(2);
      assertThat(flavour.get(cache, "k", k -> "v" + loads.incrementAndGet())).isEqualTo("v2");
      assertThat(cache.stats().refreshes()).isEqualTo(1);

      time.advance(Duration.ofSeconds(11));
      assertThat(flavour.get(cache, "k", k -> { throw new IllegalStateException("db down"); })).isEqualTo("v2");
      assertThat(cache.stats().refreshFailures()).isEqualTo(1);
      // The failed refresh kept v2; the next old read refreshes again and this time succeeds.
      assertThat(flavour.get(cache, "k", k -> "v3")).isEqualTo("v2");
      assertThat(flavour.get(cache, "k", k -> "unused")).isEqualTo("v3");
    }
  }

  @Test
  void refreshAheadStartsOneReloadPerKeyHoweverManyReadsSeeItOld() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try (TieredCache<String, String> cache =
        TieredCache.<String, String>builder("refresh1")
            .ticker(time)
            .executor(background)
            .l1ExpireAfterWrite(Duration.ofSeconds(60))
            .refreshAfter(Duration.ofSeconds(10))
            .build()) {
      assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      time.advance(Duration.ofSeconds(11));
      for (int i = 0; i < 50; i++) {
        assertThat(cache.get("k", k -> { await(release); return "v" + loads.incrementAndGet(); })).isEqualTo("v1");
      }
      release.countDown();
      background.shutdown();
      assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(loads).hasValue(2);
      assertThat(cache.getIfPresent("k")).isEqualTo("v2");
    } finally {
      background.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void staleIfErrorServesTheExpiredValueWithinTheBoundAndReportsIt(Flavour flavour) {
    List<String> events = new ArrayList<>();
    CacheEventListener<String> listener =
        new CacheEventListener<>() {
          @Override
          public void onStaleServed(String key, Duration staleness, Throwable failure) {
            events.add(key + " " + staleness.toSeconds() + "s " + failure.getMessage());
          }
        };
    try (TieredCache<String, String> cache =
        builder().l1ExpireAfterWrite(Duration.ofSeconds(10)).staleIfError(Duration.ofSeconds(30)).listener(listener).build()) {
      assertThat(flavour.get(cache, "k", k -> "v1")).isEqualTo("v1");
      time.advance(Duration.ofSeconds(15));
      assertThat(flavour.get(cache, "k", k -> { throw new IllegalStateException("db down"); })).isEqualTo("v1");
      assertThat(events).containsExactly("k 5s db down");
      assertThat(cache.stats().staleServed()).isEqualTo(1);
      time.advance(Duration.ofSeconds(26)); // expired 31 s ago: beyond the bound
      assertThatThrownBy(() -> flavour.get(cache, "k", k -> { throw new IllegalStateException("db down"); }))
          .hasMessage("db down");
      assertThat(cache.stats().staleServed()).isEqualTo(1);
    }
  }

  @Test
  void withoutStaleIfErrorALoaderFailureIsThrown() {
    try (TieredCache<String, String> cache = builder().l1ExpireAfterWrite(Duration.ofSeconds(10)).build()) {
      cache.get("k", k -> "v1");
      time.advance(Duration.ofSeconds(11));
      assertThatThrownBy(() -> cache.get("k", k -> { throw new IllegalStateException("db down"); })).hasMessage("db down");
      assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }
  }

  @Test
  void getAllServesHitsAndCallsTheBulkLoaderOnceWithTheMisses() {
    List<Set<String>> calls = new ArrayList<>();
    try (TieredCache<String, String> cache = builder().build()) {
      cache.put("a", "A");
      Map<String, String> got =
          cache.getAll(
              List.of("a", "b", "c", "b"),
              keys -> {
                calls.add(Set.copyOf(keys));
                Map<String, String> m = new HashMap<>();
                m.put("b", "B"); // c is absent
                return m;
              });
      assertThat(got).containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
      assertThat(calls).containsExactly(Set.of("b", "c"));
      assertThat(cache.getAll(List.of("a", "b"), keys -> { throw new AssertionError("no load expected"); }))
          .containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
    }
  }

  @Test
  void sizeAndWeightBoundsHoldAndAreReportedAsSaturation() {
    try (TieredCache<String, String> cache = builder().maximumSize(10).build()) {
      for (int i = 0; i < 100; i++) {
        cache.put("k" + i, "v");
      }
      CacheStats stats = cache.stats();
      assertThat(stats.l1Capacity()).isEqualTo(10);
      assertThat(stats.l1Size()).isLessThanOrEqualTo(10);
      assertThat(stats.l1Saturation()).isBetween(0.0, 1.0);
    }
    try (TieredCache<String, String> cache =
        builder().maximumWeight(100).weigher((k, v) -> v.length()).build()) {
      for (int i = 0; i < 50; i++) {
        cache.put("k" + i, "0123456789");
      }
      CacheStats stats = cache.stats();
      assertThat(stats.l1Capacity()).isEqualTo(100);
      assertThat(stats.l1WeightedSize()).isLessThanOrEqualTo(100);
      assertThat(stats.l1Size()).isLessThanOrEqualTo(10);
    }
  }

  @Test
  void builderLoaderServesGetWithoutALoaderArgument() {
    try (TieredCache<String, String> cache = builder().loader(k -> k.toUpperCase(java.util.Locale.ROOT)).build()) {
      assertThat(cache.get("abc")).isEqualTo("ABC");
    }
    try (TieredCache<String, String> cache = builder().build()) {
      assertThatThrownBy(() -> cache.get("abc")).isInstanceOf(IllegalStateException.class).hasMessageContaining("no loader");
    }
  }

  @Test
  void nullArgumentsAreRejectedNamingTheArgument() {
    try (TieredCache<String, String> cache = builder().build()) {
      assertThatThrownBy(() -> cache.get(null, k -> "v")).isInstanceOf(NullPointerException.class).hasMessage("key");
      assertThatThrownBy(() -> cache.get("k", null)).isInstanceOf(NullPointerException.class).hasMessage("loader");
      assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class).hasMessage("value");
      assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class).hasMessage("key");
      assertThatThrownBy(() -> cache.invalidate(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
      assertThatThrownBy(() -> cache.getIfPresent(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
      assertThatThrownBy(() -> cache.getAsync(null, k -> CompletableFuture.completedFuture("v")))
          .isInstanceOf(NullPointerException.class).hasMessage("key");
      assertThatThrownBy(() -> cache.getAll(java.util.Arrays.asList("a", null), k -> Map.of()))
          .isInstanceOf(NullPointerException.class).hasMessage("keys contains null");
      assertThatThrownBy(() -> cache.getAsync("k", null)).isInstanceOf(NullPointerException.class).hasMessage("asyncLoader");
      assertThatThrownBy(() -> cache.getAll(null, k -> Map.of())).isInstanceOf(NullPointerException.class).hasMessage("keys");
      assertThatThrownBy(() -> cache.getAll(List.of("a"), null)).isInstanceOf(NullPointerException.class).hasMessage("bulkLoader");
      assertThatThrownBy(() -> cache.invalidateAll(null)).isInstanceOf(NullPointerException.class).hasMessage("keys");
      assertThatThrownBy(() -> cache.invalidateAll(java.util.Arrays.asList("a", null)))
          .isInstanceOf(NullPointerException.class).hasMessage("keys contains null");
    }
  }

  @Test
  void asyncLoaderFailureCompletesTheFutureExceptionally() {
    try (TieredCache<String, String> cache = builder().build()) {
      CompletableFuture<String> f = cache.getAsync("k", k -> CompletableFuture.failedFuture(new IllegalStateException("x")));
      assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
      AtomicReference<String> v = new AtomicReference<>();
      v.set(cache.getAsync("k", k -> CompletableFuture.completedFuture("ok")).join());
      assertThat(v).hasValue("ok");
    }
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
