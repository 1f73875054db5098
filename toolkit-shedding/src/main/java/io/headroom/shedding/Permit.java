package io.headroom.shedding;

/**
 * Admission of one request by a {@link Limiter}; complete it exactly once with its outcome.
 * Completing it again is a no-op, so a {@code finally} block may call {@link #ignore()} safely
 * after {@link #success()}.
 *
 * <p>Thread-safe: it may be completed from another thread than the one that acquired it.
 */
public interface Permit {

  /** The request succeeded: its round-trip time is a sample for the limit. */
  void success();

  /**
   * The downstream timed out or refused the request: a congestion signal that lowers the
   * limit, whatever the round-trip time was.
   */
  void dropped();

  /** Release without sampling (the request failed for a reason unrelated to load). */
  void ignore();
}
