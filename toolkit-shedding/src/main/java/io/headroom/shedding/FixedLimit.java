package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;

/**
 * A limit that never moves: a bulkhead. Pick it when the backend's capacity is known and stable
 * (a pool of N connections), or as the baseline against which to judge an adaptive algorithm.
 *
 * <p>Immutable and thread-safe.
 */
public final class FixedLimit implements LimitAlgorithm {
  private final int limit;

  private FixedLimit(int limit) {
    this.limit = limit;
  }

  /**
   * A fixed limit.
   *
   * @throws IllegalArgumentException if {@code limit} ≤ 0
   */
  public static FixedLimit of(int limit) {
    return new FixedLimit(Checks.positive("limit", limit));
  }

  @Override
  public int minLimit() {
    return limit;
  }

  @Override
  public int maxLimit() {
    return limit;
  }

  @Override
  public int initialLimit() {
    return limit;
  }

  @Override
  public LimitTracker newTracker() {
    int fixed = limit;
    return new LimitTracker() {
      @Override
      public int limit() {
        return fixed;
      }

      @Override
      public int onSample(long startNanos, long rttNanos, int inFlight, boolean dropped) {
        return fixed;
      }
    };
  }

  @Override
  public String toString() {
    return "FixedLimit{" + limit + "}";
  }
}
