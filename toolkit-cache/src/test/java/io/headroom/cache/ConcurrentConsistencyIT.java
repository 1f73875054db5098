package io.headroom.cache;

import static io.headroom.cache.RedisTestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cache.testsupport.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Readers and writers hammer two instances over a few hot keys; writers update the "database"
 * and then invalidate (or put) through a random instance. Once everything is quiet, both
 * instances must serve exactly the database's final value of every key: any load that raced an
 * invalidation and left its value in L1 or L2 would fail this.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentConsistencyIT {

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @ParameterizedTest
  @EnumSource(value = InvalidationMode.class, names = {"PUBSUB", "TRACKING"})
  void afterQuiescenceEveryInstanceServesTheDatabasesLatestValue(InvalidationMode mode) throws Exception {
    int keys = 8;
    int threads = 8;
    int opsPerThread = 400;
    ConcurrentHashMap<String, String> db = new ConcurrentHashMap<>();
    AtomicLong versions = new AtomicLong();
    for (int k = 0; k < keys; k++) {
      db.put("k" + k, "v0");
    }
    // Per instance: the newest version written or invalidated through it (set once the call
    // returned). A read on that instance that starts later must never return anything older.
    List<ConcurrentHashMap<String, Long>> committed = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (RedisTestClients clients = new RedisTestClients()) {
      List<TieredCache<String, String>> caches = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        caches.add(TieredCache.<String, String>builder("consistency-" + mode)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.utf8())
            .invalidationMode(mode)
            .redisTimeout(Duration.ofSeconds(2))
            .redis(clients.client(REDIS.uri()))
            .build());
      }
      try {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Long>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          long seed = t;
          workers.add(pool.submit(() -> {
            SplittableRandom random = new SplittableRandom(seed);
            start.await(10, TimeUnit.SECONDS);
            long reads = 0;
            for (int i = 0; i < opsPerThread; i++) {
              String key = "k" + random.nextInt(keys);
              int instance = random.nextInt(2);
              TieredCache<String, String> cache = caches.get(instance);
              int op = random.nextInt(5);
              if (op == 0) {
                synchronized (db) { // one writer at a time: the database's order is the truth
                  long version = versions.incrementAndGet();
                  db.put(key, "v" + version);
                  cache.invalidate(key);
                  committed.get(instance).merge(key, version, Math::max);
                }
              } else if (op == 1) {
                synchronized (db) {
                  long version = versions.incrementAndGet();
                  db.put(key, "v" + version);
                  cache.put(key, "v" + version);
                  committed.get(instance).merge(key, version, Math::max);
                }
              } else {
                // The loader reads the database, then takes a while to return (like a real query
                // whose result travels back): the window in which an invalidation can race it.
                long floor = committed.get(instance).getOrDefault(key, 0L);
                java.util.function.Function<String, String> slowLoader = k -> {
                  String read = db.get(k);
                  java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
                  return read;
                };
                String v = random.nextBoolean()
                    ? cache.get(key, slowLoader)
                    : cache.getAsync(key, k -> java.util.concurrent.CompletableFuture.supplyAsync(() -> slowLoader.apply(k))).get(10, TimeUnit.SECONDS);
                if (v == null) {
                  throw new AssertionError("null for " + key);
                }
                if (Long.parseLong(v.substring(1)) < floor && violations.size() < 5) {
                  violations.add(key + ": read " + v + " after v" + floor + " was committed on instance " + instance);
                }
                reads++;
              }
            }
            return reads;
          }));
        }
        long reads = 0;
        for (Future<Long> w : workers) {
          reads += w.get(90, TimeUnit.SECONDS);
        }
        assertThat(violations).isEmpty();
        assertThat(reads).isPositive();
        assertThat(versions.get()).isPositive();
        // Quiet now: let the last invalidations arrive, then every instance must agree with db.
        assertThat(eventually(Duration.ofSeconds(10), () -> {
          for (TieredCache<String, String> cache : caches) {
            for (int k = 0; k < keys; k++) {
              String key = "k" + k;
              if (!db.get(key).equals(cache.get(key, db::get))) {
                return false;
              }
            }
          }
          return true;
        })).isTrue();
        // And stays so (nothing stale is left to resurface from L2 after L1 expiry).
        for (TieredCache<String, String> cache : caches) {
          for (int k = 0; k < keys; k++) {
            String key = "k" + k;
            assertThat(cache.getIfPresent(key)).isIn(db.get(key), null);
          }
        }
      } finally {
        caches.forEach(TieredCache::close);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
