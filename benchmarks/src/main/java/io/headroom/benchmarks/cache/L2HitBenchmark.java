package io.headroom.benchmarks.cache;

import io.headroom.benchmarks.Question;
import io.headroom.cache.KeyCodec;
import io.headroom.cache.TieredCache;
import io.headroom.cache.ValueCodec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * L2 hit (L1 missed: its TTL is 1 ns) against a raw Lettuce sync {@code GET} of the same bytes
 * plus the same UTF-8 decode. Needs Redis: {@code -Dheadroom.redis.uri}, else one is started.
 */
@Question(value = "What does an L2 (Redis) hit cost next to a raw Lettuce GET of the same bytes?", goal = "headroom ≤ 1.1× lettuce")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class L2HitBenchmark {

  @Param({"100", "4096"})
  public int valueBytes;

  private @Nullable BenchRedis redis;
  private @Nullable RedisCommands<String, byte[]> lettuce;
  private int headerBytes;
  private @Nullable TieredCache<String, String> headroom;
  private final Function<String, String> loader = k -> { throw new IllegalStateException("must be an L2 hit"); };

  @Setup(Level.Trial)
  public void setUp() {
    BenchRedis r = BenchRedis.open();
    redis = r;
    RedisClient c = r.client();
    headroom =
        TieredCache.<String, String>builder("bench-l2")
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.utf8())
            .l1ExpireAfterWrite(Duration.ofNanos(1))
            .l2ExpireAfterWrite(Duration.ofHours(1))
            .redisTimeout(Duration.ofSeconds(1))
            .redis(c)
            .build();
    headroom.put("k", "x".repeat(valueBytes));
    lettuce = r.raw();
    // The peer reads a key holding the very bytes the cache stored (header included), and skips
    // the header as the cache does; its length is what the cache stored beyond the value.
    byte[] stored = lettuce.get("headroom:bench-l2:k");
    if (stored == null) {
      throw new IllegalStateException("the cache did not write headroom:bench-l2:k to Redis");
    }
    headerBytes = stored.length - valueBytes;
    lettuce.set("raw", stored);
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
  public @Nullable Object headroomL2Hit() {
    return headroom.get("k", loader);
  }

  @Benchmark
  public @Nullable Object lettuceGet() {
    byte[] b = lettuce.get("raw");
    return b == null ? null : ValueCodec.utf8().decode(java.util.Arrays.copyOfRange(b, headerBytes, b.length));
  }
}
