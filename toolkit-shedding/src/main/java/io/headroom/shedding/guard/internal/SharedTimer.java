package io.headroom.shedding.guard.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one timer every guard schedules its timeouts, retry delays and hedges on: a single daemon
 * thread running a {@link ScheduledThreadPoolExecutor} whose cancelled tasks leave its queue at
 * once ({@code setRemoveOnCancelPolicy(true)}), so a million calls that finish before their
 * deadline leave nothing behind.
 *
 * <p>Cost: scheduling and cancelling take the executor's queue lock for {@code O(log n)} work,
 * where {@code n} is the number of pending tasks. Tasks run on the timer thread and must be
 * short; work that may block is handed to an executor by the caller.
 *
 * <p>Not API. Thread-safe.
 */
public final class SharedTimer {
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final SharedTimer SHARED = new SharedTimer("headroom-guard-timer");

  private final ScheduledThreadPoolExecutor executor;

  /** A new timer with its own daemon thread; tests use their own, everything else {@link #shared()}. */
  public SharedTimer(String threadName) {
    String name = threadName + "-" + INSTANCES.incrementAndGet();
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The process-wide timer. */
  public static SharedTimer shared() {
    return SHARED;
  }

  /** Runs {@code task} on the timer thread after {@code delayNanos}. */
  public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Tasks scheduled and neither run nor cancelled yet. */
  public int pending() {
    return executor.getQueue().size();
  }

  /** Stops the timer thread; pending tasks never run. For tests' own timers. */
  public void shutdown() {
    executor.shutdownNow();
  }
}
