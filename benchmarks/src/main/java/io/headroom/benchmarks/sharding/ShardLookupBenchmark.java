package io.headroom.benchmarks.sharding;

import com.google.common.hash.Hashing;
import io.headroom.benchmarks.Question;
import io.headroom.sharding.Algorithm;
import io.headroom.sharding.ShardRouter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Lookup cost of each routing algorithm for a 16-byte string key (hashing included) and a
 * pre-hashed {@code long} key, next to Guava's {@code Hashing.consistentHash} called as users
 * call it (murmur3_128 of the string, then consistentHash) and a hand-written TreeMap ketama ring
 * with 160 virtual nodes. Keys cycle through 1,024 precomputed keys so branch prediction cannot
 * learn one key. The peers do not depend on {@code algorithm}: the runner measures them once per
 * node count and repeats their figures beside every algorithm, so the ratios still come from one
 * run.
 */
@Question(
    value = "What does a shard lookup cost per algorithm and node count, next to Guava's consistentHash and a hand-written TreeMap ketama ring?",
    goal = "O(1) algorithms (JUMP, MAGLEV, ANCHOR) < 50 ns with a 16-byte string key hashed; >= 10x faster than Guava (murmur3 + consistentHash)",
    peersIndependentOf = "algorithm")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ShardLookupBenchmark {

  @Param({"10", "100", "1000", "10000"})
  public int nodes;

  @Param({"RING", "KETAMA", "JUMP", "MAGLEV", "RENDEZVOUS", "ANCHOR"})
  public Algorithm algorithm;

  private static final int KEYS = 1024;
  private final String[] stringKeys = new String[KEYS];
  private final long[] longKeys = new long[KEYS];
  private int next;

  private ShardRouter<String> router;
  private List<String> nodeNames;
  private TreeMapKetamaRing treeMapRing;

  @Setup
  public void setUp(BenchmarkParams params) {
    nodeNames = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      nodeNames.add("10.0." + (i / 250) + "." + (i % 250) + ":11211");
    }
    // Build only what the measured method uses: a 10,000-node ketama or TreeMap ring takes seconds.
    String method = params.getBenchmark();
    router = method.contains(".headroom")
        ? ShardRouter.<String>builder(algorithm).nodes(nodeNames).build()
        : ShardRouter.<String>builder(Algorithm.JUMP).nodes(nodeNames).build();
    treeMapRing = method.contains(".treeMap") ? new TreeMapKetamaRing(nodeNames) : new TreeMapKetamaRing(List.of("unused"));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < KEYS; i++) {
      stringKeys[i] = String.format(Locale.ROOT, "user:%011d", random.nextLong(100_000_000_000L)); // 16 bytes
      longKeys[i] = random.nextLong();
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (KEYS - 1);
    return i;
  }

  @Benchmark
  public String headroomStringKey() {
    return router.route(stringKeys[nextIndex()]);
  }

  @Benchmark
  public String headroomLongKey() {
    return router.route(longKeys[nextIndex()]);
  }

  @Benchmark
  public String guavaStringKey() {
    String key = stringKeys[nextIndex()];
    return nodeNames.get(Hashing.consistentHash(Hashing.murmur3_128().hashString(key, StandardCharsets.UTF_8), nodes));
  }

  @Benchmark
  public String guavaLongKey() {
    return nodeNames.get(Hashing.consistentHash(longKeys[nextIndex()], nodes));
  }

  @Benchmark
  public String treeMapKetamaStringKey() {
    return treeMapRing.route(stringKeys[nextIndex()]);
  }

  @Benchmark
  public String treeMapKetamaLongKey() {
    return treeMapRing.route(longKeys[nextIndex()]);
  }
}
