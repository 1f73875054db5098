package io.headroom.benchmarks.cache;

import io.headroom.benchmarks.Question;
import io.headroom.cache.KeyCodec;
import io.headroom.cache.TieredCache;
import io.headroom.cache.ValueCodec;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code getAll} of N keys, all in L2 and none in L1 (L1 TTL 1 ns), against N sequential raw
 * Lettuce GETs and against one raw MGET of the same keys. Needs Redis.
 */
@Question(value = "What does getAll of 100 keys from Redis cost next to one raw MGET and to 100 GETs?", goal = "headroom ≤ 1.2× raw MGET")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GetAllBenchmark {

  @Param({"100"})
  public int keys;

  private @Nullable BenchRedis redis;
  private @Nullable RedisCommands<String, byte[]> lettuce;
  private @Nullable TieredCache<String, String> headroom;
  private List<String> keyList = List.of();
  private String[] redisKeys = new String[0];

  @Setup(Level.Trial)
  public void setUp() {
    BenchRedis r = BenchRedis.open();
    redis = r;
    RedisClient c = r.client();
    headroom =
        TieredCache.<String, String>builder("bench-getall")
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.utf8())
            .l1ExpireAfterWrite(Duration.ofNanos(1))
            .l2ExpireAfterWrite(Duration.ofHours(1))
            .redisTimeout(Duration.ofSeconds(1))
            .redis(c)
            .build();
    keyList = new ArrayList<>();
    redisKeys = new String[keys];
    for (int i = 0; i < keys; i++) {
      String k = "k" + i;
      keyList.add(k);
      redisKeys[i] = "headroom:bench-getall:" + k;
      headroom.put(k, "value-" + "x".repeat(100) + i);
    }
    lettuce = r.raw();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (headroom != null) {
      headroom.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Benchmark
  public Map<String, String> headroomGetAll() {
    return headroom.getAll(keyList, missing -> { throw new IllegalStateException("must be L2 hits: " + missing); });
  }

  @Benchmark
  public int lettuceMget() {
    List<KeyValue<String, byte[]>> kvs = lettuce.mget(redisKeys);
    int n = 0;
    for (KeyValue<String, byte[]> kv : kvs) {
      if (kv.hasValue()) {
        n += ValueCodec.utf8().decode(java.util.Arrays.copyOfRange(kv.getValue(), 25, kv.getValue().length)).length();
      }
    }
    return n;
  }

  @Benchmark
  public int lettuceSequentialGets() {
    int n = 0;
    for (String k : redisKeys) {
      byte[] b = lettuce.get(k);
      if (b != null) {
        n += ValueCodec.utf8().decode(java.util.Arrays.copyOfRange(b, 25, b.length)).length();
      }
    }
    return n;
  }
}
