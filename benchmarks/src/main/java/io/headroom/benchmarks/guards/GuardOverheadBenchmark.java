package io.headroom.benchmarks.guards;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.CallableUtils;
import io.github.resilience4j.core.CompletionStageUtils;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.headroom.benchmarks.Question;
import io.headroom.shedding.guard.Fallback;
import io.headroom.shedding.guard.Guard;
import io.headroom.shedding.guard.RetryPolicy;
import io.headroom.shedding.guard.TimeoutPolicy;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * The same policies (timeout 1 s + retry up to 3 attempts + circuit breaker + fallback) around
 * a call that returns at once, through Headroom's {@link Guard}, Resilience4j's decorators and
 * Failsafe, next to the direct call. Run with {@code -prof gc} for B/op.
 *
 * <p>Forms: {@code sync} calls a {@code Callable} on the caller's thread (Headroom and Failsafe
 * arm a timer per call for the timeout; Resilience4j's sync form of its TimeLimiter waits on a
 * future, here an already completed one, so it arms nothing); {@code async} calls a supplier of
 * an already completed {@code CompletableFuture} and waits for the guarded future.
 */
@Question(
    value = "What does a composed guard (timeout + retry + breaker + fallback) cost per call next to Resilience4j and Failsafe?",
    goal = "headroom overhead (guard minus direct) below both peers' and at most half of Resilience4j's")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GuardOverheadBenchmark {
  private static final Integer VALUE = 42;
  private static final CompletableFuture<Integer> DONE = CompletableFuture.completedFuture(VALUE);

  @Param({"sync", "async"})
  public String form;

  private final Callable<Integer> work = () -> VALUE;
  private final Supplier<CompletableFuture<Integer>> asyncWork = () -> DONE;
  private final dev.failsafe.function.CheckedSupplier<Integer> failsafeWork = () -> VALUE;

  private Guard<Integer> headroom;
  private Callable<Integer> r4jSync;
  private Supplier<CompletionStage<Integer>> r4jAsync;
  private FailsafeExecutor<Integer> failsafe;
  private ScheduledExecutorService scheduler;

  @Setup(Level.Trial)
  public void setUp() {
    headroom =
        Guard.<Integer>builder()
            .fallback(Fallback.of(e -> -1))
            .retry(RetryPolicy.<Integer>builder().maxAttempts(3).build())
            .circuitBreaker(io.headroom.shedding.guard.CircuitBreaker.ofDefaults("bench"))
            .timeout(TimeoutPolicy.of(Duration.ofSeconds(1)))
            .build();

    scheduler = Executors.newSingleThreadScheduledExecutor();
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("bench");
    Retry retry = Retry.of("bench", RetryConfig.custom().maxAttempts(3).build());
    TimeLimiter limiter = TimeLimiter.of(Duration.ofSeconds(1));
    Callable<Integer> timed = TimeLimiter.decorateFutureSupplier(limiter, () -> DONE);
    r4jSync =
        CallableUtils.recover(
            Retry.decorateCallable(retry, CircuitBreaker.decorateCallable(breaker, timed)), e -> -1);
    Supplier<CompletionStage<Integer>> timedAsync =
        TimeLimiter.decorateCompletionStage(limiter, scheduler, () -> DONE);
    r4jAsync =
        CompletionStageUtils.recover(
            Retry.decorateCompletionStage(
                retry, scheduler, CircuitBreaker.decorateCompletionStage(breaker, timedAsync)),
            e -> -1);

    failsafe =
        Failsafe.with(
            dev.failsafe.Fallback.of(-1),
            dev.failsafe.RetryPolicy.<Integer>builder().withMaxRetries(2).build(),
            dev.failsafe.CircuitBreaker.<Integer>ofDefaults(),
            dev.failsafe.Timeout.<Integer>builder(Duration.ofSeconds(1)).withInterrupt().build());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scheduler.shutdownNow();
  }

  private boolean sync() {
    return form.equals("sync");
  }

  @Benchmark
  public Integer directCall() throws Exception {
    return sync() ? work.call() : asyncWork.get().join();
  }

  @Benchmark
  public Integer headroomGuard() throws Exception {
    return sync() ? headroom.call(work) : headroom.callAsync(asyncWork).join();
  }

  @Benchmark
  public Integer resilience4j() throws Exception {
    return sync() ? r4jSync.call() : r4jAsync.get().toCompletableFuture().join();
  }

  @Benchmark
  public Integer failsafe() {
    return sync() ? failsafe.get(failsafeWork) : failsafe.getStageAsync(() -> DONE).join();
  }
}
