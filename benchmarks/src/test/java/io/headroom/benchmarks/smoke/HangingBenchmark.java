package io.headroom.benchmarks.smoke;

import io.headroom.benchmarks.Question;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A test-only question whose benchmark never returns and ignores interrupts. */
@Question("Does the runner survive a benchmark that hangs?")
@State(Scope.Benchmark)
public class HangingBenchmark {

  public volatile boolean stop;

  @Benchmark
  public long headroomSpin() {
    long spins = 0;
    while (!stop) {
      spins++;
    }
    return spins;
  }
}
