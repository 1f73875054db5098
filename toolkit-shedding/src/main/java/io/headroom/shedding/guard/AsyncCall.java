package io.headroom.shedding.guard;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The future of one {@link Guard#callAsync} call: Fallback(Retry | Hedge(attempts)). Attempts
 * report to {@link #attemptDone}; the call completes once, through {@link #finish}.
 *
 * <p>Retry: attempts run one after the other; the delay before the next one waits on the
 * shared timer, and the attempt starts on the guard's async executor. Hedge: attempts overlap;
 * {@code hedgeState} packs how many started and how many failed, plus a CLOSED bit set when the
 * call has failed, so a hedge never starts after the last failure was reported.
 */
final class AsyncCall<T> extends CompletableFuture<T> implements Runnable {
  private static final int FAILED_ONE = 1 << 8;
  private static final int CLOSED = 1 << 16;

  private final Guard<T> guard;
  private final Supplier<? extends CompletableFuture<? extends T>> supplier;
  private final @Nullable AtomicReferenceArray<AsyncAttempt<T>> hedged;
  private final @Nullable AtomicInteger hedgeState;
  private volatile @Nullable AsyncAttempt<T> current;
  private volatile @Nullable ScheduledFuture<?> pendingTimer;
  private volatile int attemptNumber = 1;

  AsyncCall(Guard<T> guard, Supplier<? extends CompletableFuture<? extends T>> supplier) {
    this.guard = guard;
    this.supplier = supplier;
    HedgePolicy hedge = guard.hedge;
    if (hedge != null) {
      this.hedged = new AtomicReferenceArray<>(1 + hedge.maxHedges());
      this.hedgeState = new AtomicInteger(1);
    } else {
      this.hedged = null;
      this.hedgeState = null;
    }
  }

  void start() {
    if (guard.retry != null || guard.hedge != null) {
      guard.budget.deposit();
    }
    AsyncAttempt<T> first = new AsyncAttempt<>(guard, this, 0);
    AtomicReferenceArray<AsyncAttempt<T>> attempts = hedged;
    if (attempts != null) {
      attempts.set(0, first);
    } else {
      current = first;
    }
    first.start(supplier);
    HedgePolicy hedge = guard.hedge;
    if (hedge != null && !isDone()) {
      scheduleHedge(hedge);
    }
  }

  /** Starts the next retry attempt; runs on the async executor. */
  @Override
  public void run() {
    if (isDone()) {
      return;
    }
    AsyncAttempt<T> next = new AsyncAttempt<>(guard, this, attemptNumber - 1);
    current = next;
    next.start(supplier);
  }

  @SuppressWarnings("unchecked") // an attempt's value is the supplier's T
  void attemptDone(AsyncAttempt<T> attempt, @Nullable Object value, @Nullable Throwable failure) {
    if (isDone()) {
      return;
    }
    RetryPolicy<? super T> retry = guard.retry;
    if (retry != null) {
      retryOrFinish(retry, (T) value, failure);
    } else if (hedged != null) {
      hedgeDone(attempt, (T) value, failure);
    } else {
      finish((T) value, failure);
    }
  }

  private void retryOrFinish(RetryPolicy<? super T> policy, @Nullable T value, @Nullable Throwable failure) {
    int attempt = attemptNumber;
    boolean again =
        attempt < policy.maxAttempts()
            && (failure == null ? policy.retryOnResult(castNonNull(value)) : policy.retryOn(failure));
    if (!again) {
      finish(value, failure);
      return;
    }
    if (!guard.budget.tryWithdraw()) {
      guard.budgetDenials.increment();
      guard.events.budgetExhausted(failure);
      finish(value, failure == null ? null : new RetryBudgetExhaustedException(failure));
      return;
    }
    guard.retries.increment();
    long delay = policy.delayNanos(attempt + 1);
    guard.events.retry(attempt + 1, failure, delay);
    attemptNumber = attempt + 1;
    try {
      if (delay == 0) {
        guard.asyncExecutor.execute(this);
      } else {
        pendingTimer = guard.timer.schedule(this::dispatch, delay);
        if (isDone()) {
          cancelPending();
        }
      }
    } catch (RejectedExecutionException e) {
      finish(null, e);
    }
  }

  private void dispatch() {
    try {
      guard.asyncExecutor.execute(this);
    } catch (RejectedExecutionException e) {
      finish(null, e);
    }
  }

  private void scheduleHedge(HedgePolicy hedge) {
    pendingTimer = guard.timer.schedule(this::hedgeTick, hedge.delayNanos());
    if (isDone()) {
      cancelPending();
    }
  }

  /** The hedge delay passed with no answer: start one more attempt if allowed. */
  private void hedgeTick() {
    AtomicInteger state = java.util.Objects.requireNonNull(hedgeState);
    HedgePolicy hedge = java.util.Objects.requireNonNull(guard.hedge);
    if (isDone() || (state.get() & CLOSED) != 0) {
      return;
    }
    if (!guard.budget.tryWithdraw()) {
      guard.budgetDenials.increment();
      guard.events.budgetExhausted(null);
      return;
    }
    int index;
    while (true) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        return;
      }
      if (state.compareAndSet(s, s + 1)) {
        index = s & 0xFF;
        break;
      }
    }
    guard.hedges.increment();
    guard.events.hedge(index);
    AsyncAttempt<T> attempt = new AsyncAttempt<>(guard, this, index);
    java.util.Objects.requireNonNull(hedged).set(index, attempt);
    try {
      guard.asyncExecutor.execute(
          () -> {
            if (!isDone()) {
              attempt.start(supplier);
            }
          });
    } catch (RejectedExecutionException e) {
      attemptDone(attempt, null, e);
      return;
    }
    if (index < hedge.maxHedges()) {
      scheduleHedge(hedge);
    }
  }

  private void hedgeDone(AsyncAttempt<T> attempt, @Nullable T value, @Nullable Throwable failure) {
    if (failure == null) {
      if (attempt.index > 0 && !isDone()) {
        guard.hedgeWins.increment();
      }
      finish(value, null);
      return;
    }
    AtomicInteger state = java.util.Objects.requireNonNull(hedgeState);
    int s = state.addAndGet(FAILED_ONE);
    while (true) {
      int started = s & 0xFF;
      int failed = (s >>> 8) & 0xFF;
      if (failed < started || (s & CLOSED) != 0) {
        return; // another attempt may still succeed
      }
      if (state.compareAndSet(s, s | CLOSED)) {
        finish(null, failure);
        return;
      }
      s = state.get();
    }
  }

  @SuppressWarnings("unchecked")
  private void finish(@Nullable T value, @Nullable Throwable failure) {
    if (isDone()) {
      return;
    }
    if (failure == null) {
      if (complete(castNonNull(value))) {
        guard.successes.increment();
      }
    } else {
      guard.failures.increment();
      Fallback<T> fallback = guard.fallback;
      boolean completed;
      if (fallback != null) {
        Object replacement;
        try {
          replacement = fallback.apply(failure);
        } catch (RuntimeException e) {
          replacement = Fallback.NO_MATCH;
          failure = e;
        }
        if (replacement != Fallback.NO_MATCH) {
          completed = complete(castNonNull((T) replacement));
          if (completed) {
            guard.fallbacks.increment();
            guard.events.fallback(failure);
          }
        } else {
          completeExceptionally(failure);
        }
      } else {
        completeExceptionally(failure);
      }
    }
    cleanUp();
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      cleanUp();
    }
    return cancelled;
  }

  /** Cancels what is still running or scheduled once the call is done. */
  private void cleanUp() {
    cancelPending();
    AtomicReferenceArray<AsyncAttempt<T>> attempts = hedged;
    if (attempts != null) {
      for (int i = 0; i < attempts.length(); i++) {
        AsyncAttempt<T> a = attempts.get(i);
        if (a != null) {
          a.cancel();
        }
      }
    } else {
      AsyncAttempt<T> a = current;
      if (a != null) {
        a.cancel();
      }
    }
  }

  private void cancelPending() {
    ScheduledFuture<?> timer = pendingTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @SuppressWarnings("NullAway") // results may be null when T is a nullable type; passed through as is
  private static <V> V castNonNull(@Nullable V value) {
    return value;
  }
}
