package io.headroom.shedding;

/**
 * How important a request is to admit when the backend is near its limit. Under overload a
 * limiter sheds {@link #LOW} first and keeps admitting {@link #CRITICAL} work; the share of the
 * limit each level may use is configured on the limiter.
 *
 * <p>Declared from most to least important; {@link #ordinal()} is stable API.
 */
public enum Priority {
  /** Must be served if at all possible (health checks, payments); may use the whole limit. */
  CRITICAL,
  /** User-facing work that matters (interactive requests). */
  HIGH,
  /** Ordinary work; the default. */
  NORMAL,
  /** Work that can be dropped or done later (prefetch, analytics, batch). */
  LOW
}
