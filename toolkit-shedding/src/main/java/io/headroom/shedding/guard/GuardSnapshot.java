package io.headroom.shedding.guard;

import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a {@link Guard}'s counters and of its policies' states. Counters are
 * cumulative since the guard was built and read one after the other, so under load they are
 * not an atomic cut. Immutable.
 *
 * @param calls calls made through the guard (sync and async)
 * @param successes calls that returned a result without the fallback
 * @param failures calls whose last attempt failed (before any fallback)
 * @param fallbacks failures the fallback replaced with a value
 * @param timeouts attempts that timed out
 * @param retries retries started
 * @param retryBudgetDenials retries and hedges the budget denied
 * @param retryBudgetBalance retries the budget still allows now
 * @param breakerRejections attempts the circuit breaker refused
 * @param circuitBreaker the breaker's state and rates, if the guard has one
 * @param shedderRejections attempts the load shedder refused
 * @param shedderLimit the load shedder's limit, or -1 without one
 * @param shedderInFlight the load shedder's in-flight count, or -1 without one
 * @param hedges hedges started
 * @param hedgeWins calls won by a hedge rather than the first attempt
 * @param timerPending tasks pending on the guard's timer (shared by every guard)
 * @param listenerErrors exceptions thrown by listeners
 */
public record GuardSnapshot(
    long calls,
    long successes,
    long failures,
    long fallbacks,
    long timeouts,
    long retries,
    long retryBudgetDenials,
    double retryBudgetBalance,
    long breakerRejections,
    CircuitBreaker.@Nullable Snapshot circuitBreaker,
    long shedderRejections,
    int shedderLimit,
    int shedderInFlight,
    long hedges,
    long hedgeWins,
    int timerPending,
    long listenerErrors) {}
