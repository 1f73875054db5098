package io.headroom.benchmarks.shedding;

import com.netflix.concurrency.limits.Limiter.Listener;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.headroom.benchmarks.Question;
import io.headroom.shedding.AdaptiveLimiter;
import io.headroom.shedding.AimdLimit;
import io.headroom.shedding.FixedLimit;
import io.headroom.shedding.GradientLimit;
import io.headroom.shedding.LimitAlgorithm;
import io.headroom.shedding.Permit;
import io.headroom.shedding.Priority;
import io.headroom.shedding.snippets.AimdPriorityLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of admitting and completing one request (try-acquire, then success) when the limit is
 * not reached, with 1 thread ({@code ...OneThread}) and 2 threads ({@code ...TwoThreads}; the
 * suffix pairs each peer with the Headroom method of the same thread count in the report). Headroom's {@link AdaptiveLimiter} with the algorithm given by
 * {@code algorithm} (timing every request, and {@code Sampled}: one in 16), and the copy-in
 * snippet (which reads no clock), against a {@link Semaphore}, a Resilience4j
 * semaphore {@link Bulkhead} and Netflix concurrency-limits' {@code SimpleLimiter} with
 * {@code Gradient2Limit}. Run with {@code -prof gc} for bytes per operation.
 */
@Question(
    value = "What does admitting and completing a request cost in Headroom's limiter next to a Semaphore, a Resilience4j Bulkhead and concurrency-limits?",
    goal = "headroom ≤ 1.5× Semaphore, faster than concurrency-limits SimpleLimiter+Gradient2, 0 B/op")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LimiterAcquireBenchmark {

  @Param({"aimd"})
  public String algorithm = "aimd";

  private AdaptiveLimiter limiter = AdaptiveLimiter.newBuilder().build();
  private AdaptiveLimiter sampled = AdaptiveLimiter.newBuilder().build();
  private AimdPriorityLimiter snippet = new AimdPriorityLimiter();
  private Semaphore semaphore = new Semaphore(1000);
  private Bulkhead bulkhead = Bulkhead.ofDefaults("bench");
  private SimpleLimiter<@Nullable Void> concurrencyLimits = SimpleLimiter.newBuilder().build();

  @Setup
  public void setUp() {
    LimitAlgorithm limit =
        switch (algorithm) {
          case "aimd" -> AimdLimit.newBuilder().initialLimit(1000).maxLimit(1000).build();
          case "gradient" -> GradientLimit.newBuilder().initialLimit(1000).maxLimit(1000).build();
          case "fixed" -> FixedLimit.of(1000);
          default -> throw new IllegalArgumentException("algorithm: " + algorithm);
        };
    limiter = AdaptiveLimiter.newBuilder().limit(limit).build();
    sampled = AdaptiveLimiter.newBuilder().limit(limit).rttSampling(16).build();
    snippet =
        new AimdPriorityLimiter(
            1000, 1000, 1000, 0.9, new double[] {1.0, 0.9, 0.75, 0.5});
    semaphore = new Semaphore(1000);
    bulkhead =
        Bulkhead.of(
            "bench",
            BulkheadConfig.custom().maxConcurrentCalls(1000).maxWaitDuration(Duration.ZERO).build());
    concurrencyLimits =
        SimpleLimiter.newBuilder()
            .limit(Gradient2Limit.newBuilder().initialLimit(1000).maxConcurrency(1000).build())
            .build();
  }

  private boolean headroomOnce() {
    Permit p = limiter.tryAcquire(Priority.NORMAL);
    if (p == null) {
      return false;
    }
    p.success();
    return true;
  }

  private boolean sampledOnce() {
    Permit p = sampled.tryAcquire(Priority.NORMAL);
    if (p == null) {
      return false;
    }
    p.success();
    return true;
  }

  private boolean snippetOnce() {
    AimdPriorityLimiter.Permit p = snippet.tryAcquire(AimdPriorityLimiter.Priority.NORMAL);
    if (p == null) {
      return false;
    }
    p.success();
    return true;
  }

  private boolean semaphoreOnce() {
    if (!semaphore.tryAcquire()) {
      return false;
    }
    semaphore.release();
    return true;
  }

  private boolean bulkheadOnce() {
    if (!bulkhead.tryAcquirePermission()) {
      return false;
    }
    bulkhead.onComplete();
    return true;
  }

  private boolean concurrencyLimitsOnce() {
    Optional<Listener> listener = concurrencyLimits.acquire(null);
    if (listener.isEmpty()) {
      return false;
    }
    listener.get().onSuccess();
    return true;
  }

  @Benchmark
  public boolean headroomOneThread() {
    return headroomOnce();
  }

  @Benchmark
  public boolean headroomSampledOneThread() {
    return sampledOnce();
  }

  @Benchmark
  public boolean headroomSnippetOneThread() {
    return snippetOnce();
  }

  @Benchmark
  public boolean semaphoreOneThread() {
    return semaphoreOnce();
  }

  @Benchmark
  public boolean resilience4jBulkheadOneThread() {
    return bulkheadOnce();
  }

  @Benchmark
  public boolean concurrencyLimitsGradient2OneThread() {
    return concurrencyLimitsOnce();
  }

  @Benchmark
  @Threads(2)
  public boolean headroomTwoThreads() {
    return headroomOnce();
  }

  @Benchmark
  @Threads(2)
  public boolean headroomSampledTwoThreads() {
    return sampledOnce();
  }

  @Benchmark
  @Threads(2)
  public boolean headroomSnippetTwoThreads() {
    return snippetOnce();
  }

  @Benchmark
  @Threads(2)
  public boolean semaphoreTwoThreads() {
    return semaphoreOnce();
  }

  @Benchmark
  @Threads(2)
  public boolean resilience4jBulkheadTwoThreads() {
    return bulkheadOnce();
  }

  @Benchmark
  @Threads(2)
  public boolean concurrencyLimitsGradient2TwoThreads() {
    return concurrencyLimitsOnce();
  }
}
