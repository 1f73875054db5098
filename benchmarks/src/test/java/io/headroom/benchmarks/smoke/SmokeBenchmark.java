package io.headroom.benchmarks.smoke;

import io.headroom.benchmarks.Question;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A test-only question for the runner's smoke test: a Headroom method, a peer that allocates,
 * and a peer that always fails, so the report must show a ratio, B/op and a failure.
 */
@Question(value = "Does the runner report a tiny benchmark?", goal = "smoke test only")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SmokeBenchmark {

  @Param({"16"})
  public int size;

  private long[] values = new long[0];

  @Setup
  public void setUp() {
    values = new long[size];
    for (int i = 0; i < size; i++) {
      values[i] = i * 31L;
    }
  }

  @Benchmark
  public long headroomSum() {
    long sum = 0;
    for (long v : values) {
      sum += v;
    }
    return sum;
  }

  @Benchmark
  public long copyingSum() {
    long sum = 0;
    for (long v : values.clone()) {
      sum += v;
    }
    return sum;
  }

  @Benchmark
  public long failingSum() {
    throw new IllegalStateException("deliberate failure for the smoke test");
  }
}
