package io.headroom.shedding.guard;

/**
 * A source of monotonic nanoseconds, injectable so tests move time by hand instead of sleeping.
 * Implementations must be thread-safe and cheap: guards read them on every call.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
