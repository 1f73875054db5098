/**
 * Call guards: timeout, retry under a retry budget, hedging, circuit breaker, load shedder and
 * fallback, composed by {@link io.headroom.shedding.guard.Guard} in one fixed order:
 * {@code Fallback(Retry|Hedge(CircuitBreaker(LoadShedder(Timeout(call)))))}.
 *
 * <p>Everything here is public API; {@code io.headroom.shedding.guard.internal} is not.
 * Arguments are non-null unless marked {@code @Nullable}. Built objects are thread-safe;
 * builders are not.
 */
@NullMarked
package io.headroom.shedding.guard;

import org.jspecify.annotations.NullMarked;
