package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;

/**
 * What every adjusting algorithm ({@link AimdLimit}, {@link VegasLimit}, {@link GradientLimit})
 * shares: the lowest, highest and initial limit, set through its builder and validated by
 * {@link BoundsBuilder#checkBounds()} in {@code build()}. Immutable. Not API: the public types
 * are the algorithms and their builders.
 */
abstract class BoundedLimit implements LimitAlgorithm {
  private final int minLimit;
  private final int maxLimit;
  private final int initialLimit;

  BoundedLimit(BoundsBuilder<?> b) {
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.initialLimit = b.initialLimit;
  }

  @Override
  public final int minLimit() {
    return minLimit;
  }

  @Override
  public final int maxLimit() {
    return maxLimit;
  }

  @Override
  public final int initialLimit() {
    return initialLimit;
  }

  /** {@code min=2, max=1000, initial=20}, for the algorithms' {@code toString}. */
  final String boundsToString() {
    return "min=" + minLimit + ", max=" + maxLimit + ", initial=" + initialLimit;
  }

  /**
   * The bounds settings of an algorithm's builder; defaults min 2, max 1000, initial 20. Setters
   * do not validate; {@link #checkBounds()} does, in {@code build()}. Not thread-safe.
   *
   * @param <B> the algorithm's own builder, returned by every setter
   */
  abstract static class BoundsBuilder<B extends BoundsBuilder<B>> {
    private int minLimit = 2;
    private int maxLimit = 1000;
    private int initialLimit = 20;

    /** This builder, typed as the algorithm's own. */
    abstract B self();

    /** The lowest limit the algorithm will yield; default 2, at least 1. */
    public B minLimit(int minLimit) {
      this.minLimit = minLimit;
      return self();
    }

    /** The highest limit the algorithm will yield; default 1000, at least the minimum limit. */
    public B maxLimit(int maxLimit) {
      this.maxLimit = maxLimit;
      return self();
    }

    /** The limit before any sample; default 20, between the minimum and the maximum limit. */
    public B initialLimit(int initialLimit) {
      this.initialLimit = initialLimit;
      return self();
    }

    /**
     * @throws IllegalArgumentException for a limit ≤ 0, {@code minLimit > maxLimit} or an
     *     initial limit outside them, naming the setting and its value
     */
    final void checkBounds() {
      Checks.limits(minLimit, initialLimit, maxLimit);
    }
  }
}
