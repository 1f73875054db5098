package io.headroom.shedding;

import org.jspecify.annotations.Nullable;

/**
 * Admits or rejects work against a concurrency limit without blocking and without a lock.
 *
 * <p>The limiter is separate from the algorithm that sets its limit: every completed
 * {@link Permit} becomes a sample (round-trip time, in-flight at start, dropped or not) for the
 * limit algorithm, which moves the limit.
 *
 * <p>Implementations are thread-safe.
 */
public interface Limiter {

  /**
   * Takes a permit for one request of the given priority, or returns {@code null} when the
   * request must be shed. Never blocks. Returning {@code null} rather than an {@code Optional}
   * keeps the rejection path free of allocation.
   *
   * @return the permit, to be completed exactly once; {@code null} if rejected
   */
  @Nullable Permit tryAcquire(Priority priority);

  /** The current concurrency limit. */
  int limit();

  /** Requests admitted and not yet completed. */
  int inFlight();
}
