package io.headroom.async.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One attempt of one job on its way through a lane queue or the timer. A retry is a new
 * {@code Task} (see {@link #nextAttempt}), so a task goes through a queue at most once.
 *
 * <p>Ownership needs no flag: a task in a queue belongs to whoever polls it (JCTools' poll hands
 * each element to exactly one consumer: a worker, a shutdown drain, a drop-oldest producer, or a
 * producer emptying the queue after shutdown began), and a task on the timer belongs to whoever
 * removes it from the dispatcher's timer set.
 *
 * <p>Not API.
 */
public final class Task {
  /** The job as the user gave it (or a {@link FutureJob}). */
  public final Runnable job;
  /** The lane's ordinal. */
  public final int lane;
  /** The worker whose queues this task goes to (the producer's affinity, kept across retries). */
  public final int home;
  /** 1 for the first attempt. */
  public final int attempt;
  /**
   * Ticker time at which the task was queued, if {@link #timed}. Written by the queueing thread
   * before the offer; the queue's ordered store of the element publishes it to the consumer
   * (happens-before through the consumer's volatile load of the element).
   */
  public long enqueuedAt;
  /** Whether this task is in the latency sample; written and published like {@link #enqueuedAt}. */
  public boolean timed;

  public Task(Runnable job, int lane, int home, int attempt) {
    this.job = job;
    this.lane = lane;
    this.home = home;
    this.attempt = attempt;
  }

  /** The task for the next attempt of the same job. */
  public Task nextAttempt() {
    return new Task(job, lane, home, attempt + 1);
  }

  /** Runs one attempt; throws what the job throws. */
  public void execute() throws Exception {
    if (job instanceof FutureJob<?> futureJob) {
      futureJob.attempt();
    } else {
      job.run();
    }
  }

  /** Tells a waiting future (if any) that the job will not run again. */
  public void fail(Throwable cause) {
    if (job instanceof FutureJob<?> futureJob) {
      futureJob.future().completeExceptionally(cause);
    }
  }
}
