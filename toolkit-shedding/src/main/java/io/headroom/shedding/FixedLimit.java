package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;

/**
 * A limit that never moves: a bulkhead. Pick it when the backend's capacity is known and stable
 * (a pool of N connections), or as the baseline against which to judge an adaptive algorithm.
 *
 * <p>Built like the other algorithms, {@code FixedLimit.newBuilder().limit(32).build()}, or with
 * the shortcut {@code FixedLimit.of(32)}. Its tracker ignores samples.
 *
 * <p>Immutable and thread-safe.
 */
public final class FixedLimit implements LimitAlgorithm {
  private final int limit;

  private FixedLimit(int limit) {
    this.limit = limit;
  }

  /** A builder; {@link Builder#limit} has no default and must be set. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A fixed limit; the same as {@code newBuilder().limit(limit).build()}.
   *
   * @throws IllegalArgumentException if {@code limit} ≤ 0, naming the setting and its value
   */
  public static FixedLimit of(int limit) {
    return newBuilder().limit(limit).build();
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

  /** Settings for {@link FixedLimit}; not thread-safe, reusable ({@link #build()} copies). */
  public static final class Builder {
    private int limit;
    private boolean limitSet;

    private Builder() {}

    /** The limit, > 0; no default. Checked by {@link #build()}. */
    public Builder limit(int limit) {
      this.limit = limit;
      this.limitSet = true;
      return this;
    }

    /**
     * Builds the algorithm.
     *
     * @throws IllegalArgumentException if the limit was not set or is ≤ 0, naming the setting
     *     and its value ({@code "limit: 0 (expected: > 0)"})
     */
    public FixedLimit build() {
      if (!limitSet) {
        throw new IllegalArgumentException("limit: not set (expected: > 0)");
      }
      return new FixedLimit(Checks.positive("limit", limit));
    }
  }
}
