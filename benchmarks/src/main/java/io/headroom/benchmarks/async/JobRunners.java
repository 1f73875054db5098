package io.headroom.benchmarks.async;

import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.headroom.async.Dispatcher;
import io.headroom.async.SubmitResult;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The job runners compared by the async benchmarks, each set up the way a user would set it up
 * for fire-and-forget jobs with a fixed number of worker threads and a bounded queue (except
 * {@code LinkedBlockingQueue}, unbounded by design, and ForkJoinPool, which has no bound).
 * {@link JobRunner#submit} retries until the job is taken, so every kind does the same work.
 */
final class JobRunners {
  private JobRunners() {}

  /** What the benchmarks drive. */
  interface JobRunner extends AutoCloseable {
    /** Hands over {@code job}, waiting (spinning) while the runner is full. */
    void submit(Runnable job);

    @Override
    void close();
  }

  /** Kinds, named as in the JMH methods and the CSV columns. */
  enum Kind {
    HEADROOM("headroom"),
    TPE_ARRAY("threadPoolArrayBlockingQueue"),
    TPE_LINKED("threadPoolLinkedBlockingQueue"),
    FORK_JOIN("forkJoinPool"),
    DISRUPTOR("disruptor");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  static JobRunner create(Kind kind, int workers, int capacity) {
    return create(kind, workers, capacity, t -> {});
  }

  /** Creates a runner; {@code onThread} sees every thread it creates (for CPU accounting). */
  static JobRunner create(Kind kind, int workers, int capacity, Consumer<Thread> onThread) {
    ThreadFactory factory = daemonThreads(kind.label, onThread);
    return switch (kind) {
      case HEADROOM -> headroom(workers, capacity, factory);
      case TPE_ARRAY -> threadPool(workers, new ArrayBlockingQueue<>(capacity), factory);
      case TPE_LINKED -> threadPool(workers, new LinkedBlockingQueue<>(), factory);
      case FORK_JOIN -> forkJoin(workers, onThread);
      case DISRUPTOR -> disruptor(workers, capacity, factory);
    };
  }

  static ThreadFactory daemonThreads(String prefix, Consumer<Thread> onThread) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      onThread.accept(t);
      return t;
    };
  }

  private static JobRunner headroom(int workers, int capacity, ThreadFactory factory) {
    Dispatcher d = Dispatcher.newBuilder().name("bench").workers(workers).capacity(capacity)
        .threadFactory(factory).build();
    return new JobRunner() {
      @Override
      public void submit(Runnable job) {
        while (d.submit(job) != SubmitResult.ACCEPTED) {
          Thread.onSpinWait();
        }
      }

      @Override
      public void close() {
        d.shutdownNow();
        try {
          d.awaitTermination(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static JobRunner threadPool(int workers, BlockingQueue<Runnable> queue, ThreadFactory factory) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, queue, factory);
    pool.prestartAllCoreThreads();
    return new JobRunner() {
      @Override
      public void submit(Runnable job) {
        while (true) {
          try {
            pool.execute(job);
            return;
          } catch (RejectedExecutionException full) {
            Thread.onSpinWait();
          }
        }
      }

      @Override
      public void close() {
        pool.shutdownNow();
        awaitQuietly(pool);
      }
    };
  }

  private static JobRunner forkJoin(int workers, Consumer<Thread> onThread) {
    ForkJoinPool pool = new ForkJoinPool(workers, p -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
      onThread.accept(t);
      return t;
    }, null, false);
    return new JobRunner() {
      @Override
      public void submit(Runnable job) {
        pool.execute(job);
      }

      @Override
      public void close() {
        pool.shutdownNow();
        awaitQuietly(pool);
      }
    };
  }

  /** A Disruptor event that carries one job. */
  static final class JobEvent {
    @Nullable Runnable job;
  }

  private static final EventTranslatorOneArg<JobEvent, Runnable> SET_JOB = (event, sequence, job) -> event.job = job;

  /**
   * The Disruptor set up for jobs: one ring, {@code workers} handlers, handler {@code i} runs the
   * events whose sequence is {@code i} modulo {@code workers} (Disruptor 4 has no worker pool).
   * SleepingWaitStrategy: no lock on publish, spins then yields then parks when idle, the
   * closest to the dispatcher's default.
   */
  private static JobRunner disruptor(int workers, int capacity, ThreadFactory factory) {
    int ring = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    Disruptor<JobEvent> disruptor =
        new Disruptor<>(JobEvent::new, ring, factory, ProducerType.MULTI, new SleepingWaitStrategy());
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic varargs of handlers
    com.lmax.disruptor.EventHandler<JobEvent>[] handlers = new com.lmax.disruptor.EventHandler[workers];
    for (int i = 0; i < workers; i++) {
      int mine = i;
      handlers[i] = (event, sequence, endOfBatch) -> {
        if (sequence % workers == mine) {
          Runnable job = event.job;
          if (job != null) {
            try {
              job.run();
            } catch (RuntimeException e) {
              // same contract as the others: a failing job does not stop its worker
            }
          }
        }
      };
    }
    disruptor.handleEventsWith(handlers);
    RingBuffer<JobEvent> ringBuffer = disruptor.start();
    return new JobRunner() {
      @Override
      public void submit(Runnable job) {
        ringBuffer.publishEvent(SET_JOB, job);
      }

      @Override
      public void close() {
        disruptor.halt();
      }
    };
  }

  private static void awaitQuietly(java.util.concurrent.ExecutorService pool) {
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
