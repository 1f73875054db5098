package io.headroom.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.headroom.benchmarks.Question;
import io.headroom.cache.TieredCache;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * L1 hit of the two-tier cache against a raw Caffeine {@code getIfPresent} on the same keys and
 * the same Caffeine configuration (size bound and expire-after-write). The L1 hit path is the
 * same in local-only and two-tier mode (Redis is not touched on an L1 hit), so this runs without
 * Redis.
 */
@Question(value = "What does an L1 hit cost next to a raw Caffeine getIfPresent?", goal = "headroom ≤ 1.2× caffeine, 0 B/op")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class L1HitBenchmark {

  @Param({"1000"})
  public int keys;

  private String[] keyArray = new String[0];
  private TieredCache<String, String> headroom = TieredCache.<String, String>builder("unused").build();
  private Cache<String, String> caffeine = Caffeine.newBuilder().build();
  private final Function<String, String> loader = k -> "v-" + k;

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup(Level.Trial)
  public void setUp() {
    headroom.close();
    headroom =
        TieredCache.<String, String>builder("bench-l1")
            .maximumSize(keys * 2L)
            .l1ExpireAfterWrite(Duration.ofHours(1))
            .build();
    caffeine = Caffeine.newBuilder().maximumSize(keys * 2L).expireAfterWrite(Duration.ofHours(1)).build();
    keyArray = new String[keys];
    for (int i = 0; i < keys; i++) {
      keyArray[i] = "key-" + i;
      headroom.put(keyArray[i], "v-" + keyArray[i]);
      caffeine.put(keyArray[i], "v-" + keyArray[i]);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    headroom.close();
  }

  private String nextKey(Cursor c) {
    int i = c.next;
    c.next = i + 1 == keyArray.length ? 0 : i + 1;
    return keyArray[i];
  }

  @Benchmark
  public Object headroomGet(Cursor c) {
    return headroom.get(nextKey(c), loader);
  }

  @Benchmark
  public Object headroomGetIfPresent(Cursor c) {
    return headroom.getIfPresent(nextKey(c));
  }

  @Benchmark
  public Object caffeineGetIfPresent(Cursor c) {
    return caffeine.getIfPresent(nextKey(c));
  }
}
