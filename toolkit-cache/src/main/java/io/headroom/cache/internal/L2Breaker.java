package io.headroom.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.headroom.cache.BreakerState;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A consecutive-failures breaker around the Redis tier. CLOSED lets calls through; after
 * {@code threshold} consecutive failures it goes OPEN and callers bypass Redis; the first caller
 * after the cool-down moves it to HALF_OPEN and starts one background probe (callers keep
 * bypassing, so nobody waits on a dead Redis); the probe's success closes it, its failure
 * re-opens it for another cool-down. Thread-safe; not API.
 */
final class L2Breaker {
  private final int threshold;
  private final long coolDownNanos;
  private final Ticker ticker;
  private final AtomicReference<BreakerState> state = new AtomicReference<>(BreakerState.CLOSED);
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final LongAdder openings = new LongAdder();
  private final BiConsumer<BreakerState, BreakerState> onChange;
  // Written before the CLOSED/HALF_OPEN -> OPEN transition is published by the CAS on `state`,
  // read after reading `state`: the AtomicReference gives the happens-before edge.
  private volatile long openedAt;
  private volatile Runnable probe = () -> {};

  L2Breaker(int threshold, long coolDownNanos, Ticker ticker, BiConsumer<BreakerState, BreakerState> onChange) {
    this.threshold = threshold;
    this.coolDownNanos = coolDownNanos;
    this.ticker = ticker;
    this.onChange = onChange;
  }

  void setProbe(Runnable probe) {
    this.probe = probe;
  }

  BreakerState state() {
    BreakerState st = state.get();
    return st == null ? BreakerState.CLOSED : st; // never null; NullAway cannot see it
  }

  long openings() {
    return openings.sum();
  }

  /** Whether a call may go to Redis now; may start the probe. */
  boolean allowRequest() {
    BreakerState s = state();
    if (s == BreakerState.CLOSED) {
      return true;
    }
    if (s == BreakerState.OPEN
        && ticker.read() - openedAt >= coolDownNanos
        && state.compareAndSet(BreakerState.OPEN, BreakerState.HALF_OPEN)) {
      onChange.accept(BreakerState.OPEN, BreakerState.HALF_OPEN);
      probe.run();
    }
    return false;
  }

  void onSuccess() {
    if (consecutiveFailures.get() != 0) { // read first: no shared write on the hot path
      consecutiveFailures.set(0);
    }
  }

  void onFailure() {
    if (consecutiveFailures.incrementAndGet() >= threshold) {
      openedAt = ticker.read();
      if (state.compareAndSet(BreakerState.CLOSED, BreakerState.OPEN)) {
        openings.increment();
        onChange.accept(BreakerState.CLOSED, BreakerState.OPEN);
      }
    }
  }

  void onProbeResult(boolean success) {
    if (success) {
      consecutiveFailures.set(0);
      if (state.compareAndSet(BreakerState.HALF_OPEN, BreakerState.CLOSED)) {
        onChange.accept(BreakerState.HALF_OPEN, BreakerState.CLOSED);
      }
    } else {
      openedAt = ticker.read();
      if (state.compareAndSet(BreakerState.HALF_OPEN, BreakerState.OPEN)) {
        onChange.accept(BreakerState.HALF_OPEN, BreakerState.OPEN);
      }
    }
  }
}
