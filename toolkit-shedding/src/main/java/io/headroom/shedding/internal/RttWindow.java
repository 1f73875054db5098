package io.headroom.shedding.internal;

import java.util.Arrays;

/**
 * Groups samples into windows of a fixed count and keeps a robust no-load RTT estimate. Not API;
 * not thread-safe (owned by one {@code LimitTracker}).
 *
 * <p>Per window it keeps the median RTT of the successful samples, the largest in-flight count
 * and the number of drops. The no-load estimate is the minimum of the medians of the last
 * {@code history} windows that were allowed to enter the history:
 *
 * <ul>
 *   <li>a single lucky fast sample moves a median by one rank, not to its own value, so it cannot
 *       crush the estimate (the failure of a "minimum RTT ever" estimate, concurrency-limits #37);
 *   <li>dropped samples never enter it (a refusal that returns instantly says nothing about the
 *       backend's speed);
 *   <li>a window whose median is higher than the estimate enters the history only if it was
 *       measured at light load (largest in-flight at most half the limit, or at most the minimum
 *       limit). Under sustained load the estimate therefore cannot ratchet up to the loaded RTT
 *       (the drift of concurrency-limits #137/#176), while a backend that really became slower is
 *       re-measured as soon as the limit has come down to where queueing stops.
 * </ul>
 */
public final class RttWindow {
  private final long[] rtts;
  private final long[] scratch;
  private final int size;
  private final long[] history;
  private int historyCount;
  private int historyNext;

  private int samples;
  private int successes;
  private int drops;
  private int maxInFlight;

  private long lastMedian = -1;
  private int lastDrops;
  private int lastMaxInFlight;
  private int lastSuccesses;
  private long noLoad = -1;

  public RttWindow(int size, int historyWindows) {
    this.size = size;
    this.rtts = new long[size];
    this.scratch = new long[size];
    this.history = new long[historyWindows];
  }

  /**
   * Adds a sample; returns true when it completed a window, whose figures are then available
   * from the {@code last...} accessors.
   *
   * @param limit the limit in force, to judge whether the window was measured at light load
   * @param minLimit the algorithm's minimum limit
   */
  public boolean add(long rttNanos, int inFlight, boolean dropped, int limit, int minLimit) {
    samples++;
    if (inFlight > maxInFlight) {
      maxInFlight = inFlight;
    }
    if (dropped) {
      drops++;
    } else {
      rtts[successes++] = Math.max(0, rttNanos);
    }
    if (samples < size) {
      return false;
    }
    lastDrops = drops;
    lastMaxInFlight = maxInFlight;
    lastSuccesses = successes;
    if (successes > 0) {
      System.arraycopy(rtts, 0, scratch, 0, successes);
      Arrays.sort(scratch, 0, successes);
      lastMedian = scratch[(successes - 1) / 2];
      boolean light = maxInFlight <= Math.max(minLimit, limit / 2);
      if (noLoad < 0 || lastMedian <= noLoad || light) {
        history[historyNext] = lastMedian;
        historyNext = (historyNext + 1) % history.length;
        historyCount = Math.min(historyCount + 1, history.length);
        long min = Long.MAX_VALUE;
        for (int i = 0; i < historyCount; i++) {
          min = Math.min(min, history[i]);
        }
        noLoad = min;
      }
    } else {
      lastMedian = -1;
    }
    samples = 0;
    successes = 0;
    drops = 0;
    maxInFlight = 0;
    return true;
  }

  /** The median RTT of the successful samples of the last window; -1 if it had none. */
  public long lastMedian() {
    return lastMedian;
  }

  public int lastDrops() {
    return lastDrops;
  }

  public int lastSuccesses() {
    return lastSuccesses;
  }

  public int lastMaxInFlight() {
    return lastMaxInFlight;
  }

  /** The no-load RTT estimate in nanoseconds; -1 until a window with a success completed. */
  public long noLoad() {
    return noLoad;
  }
}
