package io.headroom.shedding.guard;

/**
 * A call failed with a retryable failure and had attempts left, but the {@link RetryBudget}
 * denied the retry. The cause is the last attempt's failure, so a {@link Fallback} registered
 * for the cause's type also handles this exception.
 *
 * <p>No stack trace is filled in. Immutable.
 */
public final class RetryBudgetExhaustedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RetryBudgetExhaustedException(Throwable lastFailure) {
    super("retry budget exhausted; last failure: " + lastFailure, lastFailure, false, false);
  }
}
