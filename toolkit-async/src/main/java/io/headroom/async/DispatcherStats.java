package io.headroom.async;

import java.time.Duration;

/**
 * A snapshot of a {@link Dispatcher}'s counters, queue depths and latency percentiles.
 *
 * <p>Each counter is monotonic and exact once the dispatcher is quiet; while jobs are moving the
 * counters are read one after another, not as one atomic cut, so sums may differ by the jobs in
 * flight. Once every accepted job has finished: {@code accepted = completed + deadLettered +
 * dropped + returned by shutdown} where {@code completed} counts jobs that ran successfully on any
 * attempt, and {@code failed} counts failed attempts ({@code failed = retried + deadLettered} of
 * failures).
 *
 * <p>Immutable and thread-safe.
 */
// Per-lane figures are arrays indexed by lane ordinal, as in the dispatcher.
@SuppressWarnings("EnumOrdinal")
public final class DispatcherStats {

  /**
   * Percentiles of a duration distribution, in nanoseconds. Each is at most 6.25% above the true
   * value (log-linear buckets, 16 per power of two) and never below it; {@code count} is exact.
   */
  public record Latency(long count, long p50, long p90, long p99, long p999, long max) {
    /** The percentile {@code p50} as a {@link Duration}. */
    public Duration median() {
      return Duration.ofNanos(p50);
    }
  }

  private final long submitted;
  private final long rejectedFull;
  private final long rejectedShutdown;
  private final long callerRan;
  private final long dropped;
  private final long completed;
  private final long failed;
  private final long retried;
  private final long deadLettered;
  private final long hookErrors;
  private final int[] queueDepth;
  private final int[] capacity;
  private final Latency queueWait;
  private final Latency runTime;

  DispatcherStats(
      long submitted,
      long rejectedFull,
      long rejectedShutdown,
      long callerRan,
      long dropped,
      long completed,
      long failed,
      long retried,
      long deadLettered,
      long hookErrors,
      int[] queueDepth,
      int[] capacity,
      Latency queueWait,
      Latency runTime) {
    this.submitted = submitted;
    this.rejectedFull = rejectedFull;
    this.rejectedShutdown = rejectedShutdown;
    this.callerRan = callerRan;
    this.dropped = dropped;
    this.completed = completed;
    this.failed = failed;
    this.retried = retried;
    this.deadLettered = deadLettered;
    this.hookErrors = hookErrors;
    this.queueDepth = queueDepth.clone();
    this.capacity = capacity.clone();
    this.queueWait = queueWait;
    this.runTime = runTime;
  }

  /** Calls of submit, execute, submitForResult and schedule with a non-null job. */
  public long submitted() {
    return submitted;
  }

  /** Jobs queued (or put on the timer): submitted minus rejected minus run in the caller. */
  public long accepted() {
    return submitted - rejectedFull - rejectedShutdown - callerRan;
  }

  /** Jobs refused: {@link #rejectedFull()} plus {@link #rejectedShutdown()}. */
  public long rejected() {
    return rejectedFull + rejectedShutdown;
  }

  public long rejectedFull() {
    return rejectedFull;
  }

  public long rejectedShutdown() {
    return rejectedShutdown;
  }

  /** Jobs run in the submitting thread by {@link OverflowPolicy#CALLER_RUNS}. */
  public long callerRan() {
    return callerRan;
  }

  /** Queued background jobs removed by {@link OverflowPolicy#DROP_OLDEST_BACKGROUND}. */
  public long dropped() {
    return dropped;
  }

  /** Jobs that ran to the end without throwing (on a worker or in the caller). */
  public long completed() {
    return completed;
  }

  /** Attempts that threw. */
  public long failed() {
    return failed;
  }

  /** Failed attempts that were put on the timer for another attempt. */
  public long retried() {
    return retried;
  }

  /** Jobs handed to the dead-letter hook. */
  public long deadLettered() {
    return deadLettered;
  }

  /** Exceptions thrown by the dead-letter or dropped-job hook (logged, never propagated). */
  public long hookErrors() {
    return hookErrors;
  }

  /** Jobs queued in {@code lane} now, over all workers (approximate while moving). */
  public int queueDepth(Lane lane) {
    return queueDepth[lane.ordinal()];
  }

  /** The actual capacity of {@code lane} over all workers (see {@link Dispatcher#capacity(Lane)}). */
  public int capacity(Lane lane) {
    return capacity[lane.ordinal()];
  }

  /** Time from queueing to the start of a run, over all worker runs since build. */
  public Latency queueWait() {
    return queueWait;
  }

  /** Run time of worker attempts (successful or not) since build. */
  public Latency runTime() {
    return runTime;
  }

  @Override
  public String toString() {
    return "DispatcherStats[submitted=" + submitted
        + ", accepted=" + accepted()
        + ", rejectedFull=" + rejectedFull
        + ", rejectedShutdown=" + rejectedShutdown
        + ", callerRan=" + callerRan
        + ", dropped=" + dropped
        + ", completed=" + completed
        + ", failed=" + failed
        + ", retried=" + retried
        + ", deadLettered=" + deadLettered
        + ", hookErrors=" + hookErrors
        + ", queueWait=" + queueWait
        + ", runTime=" + runTime
        + "]";
  }
}
