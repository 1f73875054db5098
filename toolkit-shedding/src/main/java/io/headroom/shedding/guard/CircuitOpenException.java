package io.headroom.shedding.guard;

/**
 * The circuit breaker refused the call: it is open (or forced open, or half-open with every
 * trial call taken). The call was not started, so falling back is always safe.
 *
 * <p>One instance per breaker is reused for every refusal (no stack trace, no suppression), so
 * refusing costs no allocation. Immutable.
 */
public final class CircuitOpenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String breakerName;

  CircuitOpenException(String breakerName) {
    super("circuit breaker '" + breakerName + "' does not permit calls", null, false, false);
    this.breakerName = breakerName;
  }

  /** The name of the breaker that refused the call. */
  public String breakerName() {
    return breakerName;
  }
}
