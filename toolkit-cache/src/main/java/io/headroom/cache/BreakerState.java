package io.headroom.cache;

/**
 * The state of the breaker around the Redis tier (L2).
 *
 * <p>{@code CLOSED}: L2 is used. {@code OPEN}: L2 is bypassed (reads go to L1 and the loader,
 * writes are skipped and counted) until the cool-down ends. {@code HALF_OPEN}: one background
 * probe ({@code PING}) is in flight; callers still bypass L2 until it succeeds. Always
 * {@code CLOSED} in local-only mode.
 */
public enum BreakerState {
  CLOSED,
  OPEN,
  HALF_OPEN
}
