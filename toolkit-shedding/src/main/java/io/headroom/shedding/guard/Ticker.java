package io.headroom.shedding.guard;

/**
 * A source of monotonic nanoseconds, injectable so tests move time by hand instead of sleeping.
 * Implementations must be thread-safe and cheap: guards read them on every call.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long read();

  /** {@link System#nanoTime()}; always the same instance. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** Holds the one system ticker, so guards can tell that two policies share the same clock. */
final class SystemTicker {
  static final Ticker INSTANCE = System::nanoTime;

  private SystemTicker() {}
}
