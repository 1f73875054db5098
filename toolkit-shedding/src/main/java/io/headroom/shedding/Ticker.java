package io.headroom.shedding;

/**
 * A source of nanosecond time, injectable so that tests and simulations control time (the
 * idea of Caffeine's {@code Ticker}). Only differences between two readings are meaningful.
 *
 * <p>Implementations must be thread-safe and cheap: the limiter reads the ticker once when a
 * permit is taken and once when it is completed.
 */
@FunctionalInterface
public interface Ticker {

  /** The current time in nanoseconds, from an arbitrary origin. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
