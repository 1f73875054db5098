package io.headroom.shedding;

/**
 * How a concurrency limit moves with what the limiter observes: an immutable, shareable
 * configuration ({@link AimdLimit}, {@link VegasLimit}, {@link GradientLimit},
 * {@link FixedLimit}) from which each limiter starts its own {@link LimitTracker}.
 *
 * <p>The split follows Netflix concurrency-limits' {@code Limit}/{@code Limiter}: the algorithm
 * only consumes samples and yields a limit; admission, priorities and waiting belong to the
 * limiter ({@link AdaptiveLimiter}).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface LimitAlgorithm {

  /** The lowest limit the algorithm will ever yield; at least 1. */
  int minLimit();

  /** The highest limit the algorithm will ever yield. */
  int maxLimit();

  /** The limit before any sample has been seen. */
  int initialLimit();

  /**
   * A fresh tracker starting at {@link #initialLimit()}. Each limiter owns one; trackers are not
   * shared.
   */
  LimitTracker newTracker();
}
