package io.headroom.shedding.guard.internal;

/**
 * A circuit breaker's sliding window of call outcomes, recorded without a lock.
 *
 * <p>{@link #totals} packs the window's aggregate into one {@code long} so evaluating it
 * allocates nothing: the number of calls (capped at {@code 2^31 - 1}) in the high 32 bits, the
 * failure rate and the slow-call rate in basis points (0..10000) in two 16-bit fields.
 *
 * <p>Not API. Thread-safe.
 */
public abstract class OutcomeWindow {
  /** Outcome flag: the call failed. */
  public static final int FAILURE = 2;
  /** Outcome flag: the call took at least the slow-call threshold. */
  public static final int SLOW = 4;

  OutcomeWindow() {}

  /** Records one outcome, {@code 0} (fast success) or a combination of {@link #FAILURE} and {@link #SLOW}. */
  public abstract void record(int outcome, long nowNanos);

  /** The window's aggregate at {@code nowNanos}, packed; decode with the static helpers. */
  public abstract long totals(long nowNanos);

  /** Calls in a packed total. */
  public static int calls(long totals) {
    return (int) (totals >>> 32);
  }

  /** Failure rate in basis points in a packed total. */
  public static int failureBasisPoints(long totals) {
    return (int) ((totals >>> 16) & 0xFFFF);
  }

  /** Slow-call rate in basis points in a packed total. */
  public static int slowBasisPoints(long totals) {
    return (int) (totals & 0xFFFF);
  }

  static long pack(long calls, long failures, long slow) {
    if (calls <= 0) {
      return 0;
    }
    long failureBp = Math.min(10_000, Math.max(0, failures) * 10_000 / calls);
    long slowBp = Math.min(10_000, Math.max(0, slow) * 10_000 / calls);
    return (Math.min(calls, Integer.MAX_VALUE) << 32) | (failureBp << 16) | slowBp;
  }

  /** A window over the last {@code size} calls. */
  public static OutcomeWindow countBased(int size) {
    return new CountWindow(size);
  }

  /** A window over the last {@code seconds} seconds, one bucket per second. */
  public static OutcomeWindow timeBased(int seconds) {
    return new TimeWindow(seconds);
  }
}
