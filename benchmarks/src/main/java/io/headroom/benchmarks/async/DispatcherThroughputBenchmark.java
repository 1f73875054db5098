package io.headroom.benchmarks.async;

import io.headroom.benchmarks.Question;
import io.headroom.benchmarks.async.JobRunners.JobRunner;
import io.headroom.benchmarks.async.JobRunners.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Submit-to-completion throughput: {@code producers} threads hand {@value #BATCH} jobs to a runner
 * with {@code workers} threads, and an operation ends when the last job has run. The score is
 * jobs per second. Each job burns a few nanoseconds of CPU ({@link Blackhole#consumeCPU}) and
 * counts itself done.
 *
 * <p>The JMH thread is producer 0; the other producers are threads of this state that start each
 * batch at a barrier. Queues hold the whole batch (capacity 65,536) so the figure is the hand-off
 * cost, not back-pressure. Peers: ThreadPoolExecutor with ArrayBlockingQueue and with
 * LinkedBlockingQueue, ForkJoinPool, and an LMAX Disruptor 4 set up for jobs (see
 * {@link JobRunners}).
 */
@Question(
    value = "How many jobs per second go from submit to completion through Headroom's dispatcher, "
        + "next to ThreadPoolExecutor, ForkJoinPool and the LMAX Disruptor?",
    goal = "headroom ≥ 2× threadPool*, ≥ 0.8× disruptor")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@OperationsPerInvocation(DispatcherThroughputBenchmark.BATCH)
public class DispatcherThroughputBenchmark {
  static final int BATCH = 20_000;
  static final int CAPACITY = 65_536;
  static final int JOB_TOKENS = 16;

  @Param({"1", "2", "4"})
  public int producers;

  @Param({"1", "2"})
  public int workers;

  private final AtomicLong done = new AtomicLong();
  private final Runnable job = () -> {
    Blackhole.consumeCPU(JOB_TOKENS);
    done.incrementAndGet();
  };
  private @Nullable JobRunner runner;
  private @Nullable CyclicBarrier barrier;
  private final List<Thread> helpers = new ArrayList<>();
  private volatile boolean stopping;
  private long target;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    Kind kind = switch (method) {
      case "headroomDispatcher" -> Kind.HEADROOM;
      case "threadPoolArrayBlockingQueue" -> Kind.TPE_ARRAY;
      case "threadPoolLinkedBlockingQueue" -> Kind.TPE_LINKED;
      case "forkJoinPool" -> Kind.FORK_JOIN;
      case "disruptor" -> Kind.DISRUPTOR;
      default -> throw new IllegalStateException("unknown benchmark " + method);
    };
    JobRunner r = JobRunners.create(kind, workers, CAPACITY);
    runner = r;
    CyclicBarrier b = new CyclicBarrier(producers);
    barrier = b;
    int share = BATCH / producers;
    for (int p = 1; p < producers; p++) {
      Thread t = new Thread(() -> {
        while (!stopping) {
          try {
            b.await(1, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            continue; // benchmark between iterations; look at stopping again
          } catch (InterruptedException | BrokenBarrierException e) {
            return;
          }
          for (int i = 0; i < share; i++) {
            r.submit(job);
          }
        }
      }, "producer-" + p);
      t.setDaemon(true);
      t.start();
      helpers.add(t);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    stopping = true;
    CyclicBarrier b = barrier;
    if (b != null) {
      b.reset();
    }
    for (Thread t : helpers) {
      t.interrupt();
      t.join(5_000);
    }
    JobRunner r = runner;
    if (r != null) {
      r.close();
    }
  }

  private void batch() throws Exception {
    JobRunner r = runner;
    CyclicBarrier b = barrier;
    if (r == null || b == null) {
      throw new IllegalStateException("not set up");
    }
    int share = BATCH / producers;
    target += (long) share * producers;
    if (producers > 1) {
      b.await(30, TimeUnit.SECONDS);
    }
    for (int i = 0; i < share; i++) {
      r.submit(job);
    }
    for (int spins = 0; done.get() < target; spins++) {
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  @Benchmark
  public void headroomDispatcher() throws Exception {
    batch();
  }

  @Benchmark
  public void threadPoolArrayBlockingQueue() throws Exception {
    batch();
  }

  @Benchmark
  public void threadPoolLinkedBlockingQueue() throws Exception {
    batch();
  }

  @Benchmark
  public void forkJoinPool() throws Exception {
    batch();
  }

  @Benchmark
  public void disruptor() throws Exception {
    batch();
  }
}
