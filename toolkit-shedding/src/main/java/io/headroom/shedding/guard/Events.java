package io.headroom.shedding.guard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to a {@link GuardListener}, counting and logging (once) what it throws. */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final GuardListener listener;
  private final boolean silent;
  private final AtomicLong errors = new AtomicLong();

  Events(GuardListener listener) {
    this.listener = listener;
    this.silent = listener == GuardListener.NONE;
  }

  long errors() {
    return errors.get();
  }

  private void failed(RuntimeException e) {
    if (errors.getAndIncrement() == 0) {
      LOG.warn("guard listener {} threw; further listener errors are counted, not logged", listener, e);
    }
  }

  void stateChange(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
    if (silent) {
      return;
    }
    try {
      listener.onStateChange(name, from, to);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void retry(int nextAttempt, @Nullable Throwable lastFailure, long delayNanos) {
    if (silent) {
      return;
    }
    try {
      listener.onRetry(nextAttempt, lastFailure, Duration.ofNanos(delayNanos));
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void budgetExhausted(@Nullable Throwable lastFailure) {
    if (silent) {
      return;
    }
    try {
      listener.onBudgetExhausted(lastFailure);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void timeout(Duration timeout) {
    if (silent) {
      return;
    }
    try {
      listener.onTimeout(timeout);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void hedge(int hedge) {
    if (silent) {
      return;
    }
    try {
      listener.onHedge(hedge);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void fallback(Throwable failure) {
    if (silent) {
      return;
    }
    try {
      listener.onFallback(failure);
    } catch (RuntimeException e) {
      failed(e);
    }
  }
}
