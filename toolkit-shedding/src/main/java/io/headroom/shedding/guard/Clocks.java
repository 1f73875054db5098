package io.headroom.shedding.guard;

import io.headroom.shedding.Ticker;

/**
 * The one system ticker instance the guards default to, so a guard can tell that its budget,
 * breaker and sync deadlines read the same clock and share one reading per call.
 */
final class Clocks {
  static final Ticker SYSTEM = Ticker.system();

  private Clocks() {}
}
