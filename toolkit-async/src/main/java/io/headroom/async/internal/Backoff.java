package io.headroom.async.internal;

/**
 * Exponential back-off with jitter for retries: after the {@code n}-th failed attempt the job
 * waits {@code min(max, initial * 2^(n-1))}, reduced by a random fraction of up to
 * {@code jitter} (so with jitter 0.5 the wait is uniform in [d/2, d]: retries of jobs that failed
 * together spread out, and no wait exceeds {@code max}).
 *
 * <p>Immutable and thread-safe. Not API.
 */
public final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private final double jitter;

  public Backoff(long initialNanos, long maxNanos, double jitter) {
    this.initialNanos = initialNanos;
    this.maxNanos = maxNanos;
    this.jitter = jitter;
  }

  /**
   * The wait after {@code failedAttempts} (≥ 1) failed attempts.
   *
   * @param random01 a uniform random number in [0, 1)
   */
  public long delayNanos(int failedAttempts, double random01) {
    int shift = Math.min(Math.max(failedAttempts - 1, 0), 62);
    long delay;
    if (initialNanos > (maxNanos >>> shift)) {
      delay = maxNanos;
    } else {
      delay = Math.min(maxNanos, initialNanos << shift);
    }
    return delay - (long) (delay * jitter * random01);
  }
}
