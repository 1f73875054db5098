package io.headroom.shedding;

/**
 * Told when a limiter's limit changes. Called on the thread that completed the permit whose
 * sample moved the limit, while the limiter's sampling hand-off is held: keep it short and
 * non-blocking. An exception it throws is counted and logged once, never propagated to the
 * caller.
 */
@FunctionalInterface
public interface LimitListener {

  /** The limit moved from {@code previous} to {@code current}. */
  void onLimitChange(int previous, int current);
}
