package io.headroom.async.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One attempt of one job on its way through a lane queue or the timer. A retry is a new
 * {@code Task} (see {@link #nextAttempt}), so a task goes through the queue at most once and its
 * state moves {@code QUEUED -> CLAIMED} or {@code QUEUED -> WITHDRAWN} exactly once.
 *
 * <p>The claim is what makes shutdown exact: a worker, a shutdown drain or a drop-oldest producer
 * must {@link #claim()} a task it polled before doing anything with it, and a producer that sees
 * shutdown begin right after queueing may {@link #withdraw()} it and report a rejection. Exactly
 * one of them wins the CAS, so no job is both run and returned, or both run and rejected.
 *
 * <p>Not API.
 */
public final class Task {
  private static final int QUEUED = 0;
  private static final int CLAIMED = 1;
  private static final int WITHDRAWN = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The job as the user gave it (or a {@link FutureJob}). */
  public final Runnable job;
  /** The lane's ordinal. */
  public final int lane;
  /** The worker whose queues this task goes to (the producer's affinity, kept across retries). */
  public final int home;
  /** 1 for the first attempt. */
  public final int attempt;
  /**
   * Ticker time at which the task was queued. Written by the queueing thread before the offer;
   * the queue's release store of the element publishes it to the consumer (happens-before through
   * the consumer's acquire load of the element).
   */
  public long enqueuedAt;

  // Accessed only through STATE: CAS (volatile semantics) for claim and withdraw.
  @SuppressWarnings("unused") // read and written through the STATE VarHandle
  private volatile int state;

  public Task(Runnable job, int lane, int home, int attempt) {
    this.job = job;
    this.lane = lane;
    this.home = home;
    this.attempt = attempt;
  }

  /** Takes the task for running or returning; false if someone else already did. */
  public boolean claim() {
    return STATE.compareAndSet(this, QUEUED, CLAIMED);
  }

  /** Takes back a task its producer just queued; false if a worker or a drain already claimed it. */
  public boolean withdraw() {
    return STATE.compareAndSet(this, QUEUED, WITHDRAWN);
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
