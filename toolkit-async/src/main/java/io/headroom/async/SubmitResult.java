package io.headroom.async;

/**
 * What became of a job handed to {@link Dispatcher#submit(Runnable)}. Only {@link #ACCEPTED} and
 * {@link #CALLER_RAN} mean the dispatcher took responsibility for the job; for the two rejections
 * the job was not queued and stays the caller's.
 */
public enum SubmitResult {
  /**
   * The job is queued (or, for {@link Dispatcher#schedule}, waiting on the timer). It will be run,
   * dead-lettered, or returned by shutdown: exactly one of the three.
   */
  ACCEPTED,
  /** The lane was full and the overflow policy is {@link OverflowPolicy#REJECT}. Not queued. */
  REJECTED_FULL,
  /** The dispatcher is shutting down or shut down. Not queued. */
  REJECTED_SHUTDOWN,
  /**
   * The lane was full and the overflow policy is {@link OverflowPolicy#CALLER_RUNS}: the job has
   * already run (or failed and been handed to retries or the dead-letter hook) in the caller's
   * thread.
   */
  CALLER_RAN;

  /** True for {@link #ACCEPTED} and {@link #CALLER_RAN}: the dispatcher took the job. */
  public boolean isAccepted() {
    return this == ACCEPTED || this == CALLER_RAN;
  }
}
