package io.headroom.async;

/**
 * Receives a job the dispatcher accepted but will not run again: it failed on its last attempt,
 * or it came back from the timer (a retry or a scheduled job) to a full lane or a dispatcher that
 * had already handed its jobs back from shutdown.
 *
 * <p>Called on a worker, the timer thread, or a submitting thread; it must be thread-safe and
 * should be quick. An exception it throws is logged and counted
 * ({@link DispatcherStats#hookErrors()}), never propagated.
 */
@FunctionalInterface
public interface DeadLetterHandler {
  /**
   * Takes a job that will not run again.
   *
   * @param job the job as submitted (for {@link Dispatcher#submitForResult} a runnable that runs
   *     the callable and completes its future; that future has already failed with {@code cause})
   * @param cause the exception of the last attempt, or a
   *     {@link java.util.concurrent.RejectedExecutionException} saying why it could not be queued
   */
  void deadLettered(Runnable job, Throwable cause);
}
