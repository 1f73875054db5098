/**
 * Headroom's load shedding and call guards: adaptive concurrency limits, priority load
 * shedding, client-side throttling, and timeout, retry, circuit breaker, hedging and fallback
 * policies composed in a fixed order.
 *
 * <p>The public API lives in this package; {@code io.headroom.shedding.internal} holds the
 * implementation and is not part of the API. Arguments are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package io.headroom.shedding;

import org.jspecify.annotations.NullMarked;
