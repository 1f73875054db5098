package io.headroom.shedding;

/**
 * The mutable state of a {@link LimitAlgorithm}: consumes samples, yields the limit.
 *
 * <p>Not thread-safe: its owner calls it from one thread at a time (the limiter publishes each
 * call through an atomic hand-off, so consecutive calls from different threads are ordered).
 * Cost: a few arithmetic operations per sample, and for the RTT-based algorithms a sort of one
 * small window of samples every {@code window} samples; no allocation after construction.
 */
public interface LimitTracker {

  /** The current limit, within {@code [minLimit, maxLimit]} of the algorithm. */
  int limit();

  /**
   * Feeds one completed request and returns the new limit.
   *
   * @param startNanos ticker time when the request was admitted
   * @param rttNanos how long it took, from admission to completion
   * @param inFlight requests in flight when it was admitted (itself included)
   * @param dropped whether the downstream timed out or refused it (a congestion signal)
   */
  int onSample(long startNanos, long rttNanos, int inFlight, boolean dropped);

  /**
   * The algorithm's estimate of the round-trip time without queueing in nanoseconds, or -1 if it
   * keeps none or has not seen enough samples to make it.
   */
  default long noLoadRttNanos() {
    return -1;
  }
}
