package io.headroom.async;

/** What {@link Dispatcher#submit(Runnable)} does when the job's lane is full. Chosen at build. */
public enum OverflowPolicy {
  /** Return {@link SubmitResult#REJECTED_FULL}; the job stays the caller's. The default. */
  REJECT,
  /**
   * Run the job in the submitting thread and return {@link SubmitResult#CALLER_RAN}: natural
   * back-pressure, at the price of the caller's latency. A failing job follows the same retry and
   * dead-letter rules as on a worker (retries still wait on the timer, then run on a worker).
   */
  CALLER_RUNS,
  /**
   * For a {@link Lane#BACKGROUND} job: remove the oldest queued background job of the same
   * worker, hand it to the dropped-job hook (and count it), and queue the new job. For a full
   * {@link Lane#URGENT} lane this behaves like {@link #REJECT}: urgent jobs are never dropped.
   */
  DROP_OLDEST_BACKGROUND
}
