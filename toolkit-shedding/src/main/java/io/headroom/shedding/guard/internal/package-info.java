/**
 * Implementation of the call guards in {@code io.headroom.shedding.guard}: the shared timer, the
 * circuit breaker's lock-free outcome windows, the retry budget's sliding window and the latency
 * ring behind percentile hedging.
 *
 * <p><b>Not API</b>: these types are public only so the guard package can use them; they may
 * change or disappear in any release.
 */
@NullMarked
package io.headroom.shedding.guard.internal;

import org.jspecify.annotations.NullMarked;
