package io.headroom.shedding.guard;

import io.headroom.shedding.Limiter;
import io.headroom.shedding.Permit;
import io.headroom.shedding.RejectedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One async attempt: CircuitBreaker(LoadShedder(Timeout(work))). It ends exactly once, by the
 * work completing, by its deadline (the timer task: this object's {@link #run()}), or by being
 * cancelled by its {@link AsyncCall}; a compare-and-set on {@code done} picks the first, which
 * records the outcome and reports it to the call.
 */
final class AsyncAttempt<T> implements BiConsumer<@Nullable Object, @Nullable Throwable>, Runnable {
  private static final VarHandle DONE;

  static {
    try {
      DONE = MethodHandles.lookup().findVarHandle(AsyncAttempt.class, "done", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Guard<T> guard;
  private final AsyncCall<T> call;
  final int index;
  // Written before the work's completion handler is registered (or the timer task scheduled),
  // which publishes them to the threads that end the attempt.
  private @Nullable Object token;
  private @Nullable Permit permit;
  private long startNanos;
  private volatile @Nullable CompletableFuture<? extends T> work;
  private volatile @Nullable ScheduledFuture<?> deadline;
  @SuppressWarnings("UnusedVariable") // read and written through the DONE VarHandle
  private volatile int done;

  AsyncAttempt(Guard<T> guard, AsyncCall<T> call, int index) {
    this.guard = guard;
    this.call = call;
    this.index = index;
  }

  void start(Supplier<? extends CompletableFuture<? extends T>> supplier) {
    CircuitBreaker cb = guard.breaker;
    if (cb != null) {
      Object t = cb.tryAcquire();
      if (t == null) {
        guard.breakerRejections.increment();
        refused(cb.refusal());
        return;
      }
      token = t;
    }
    Limiter shedder = guard.limiter;
    if (shedder != null) {
      Permit p = shedder.tryAcquire(guard.priority);
      if (p == null) {
        guard.shedderRejections.increment();
        Object t = token;
        if (cb != null && t != null) {
          cb.release(t);
        }
        refused(new RejectedException(guard.priority, shedder.limit(), "concurrency limit reached"));
        return;
      }
      permit = p;
    }
    startNanos = guard.ticker.read();
    CompletableFuture<? extends T> w;
    try {
      w = supplier.get();
      if (w == null) {
        throw new NullPointerException("supplier returned null");
      }
    } catch (Throwable t) {
      end(null, t);
      return;
    }
    work = w;
    if (w.isDone()) {
      // Completed already: read it without registering a handler (no allocation on success).
      Object value;
      try {
        value = w.getNow(null);
      } catch (CompletionException | CancellationException e) {
        end(null, e);
        return;
      }
      end(value, null);
      return;
    }
    TimeoutPolicy policy = guard.timeout;
    if (policy != null) {
      deadline = guard.timer.schedule(this, policy.timeoutNanos());
    }
    // The dependent future is not needed: this attempt observes the work through accept().
    CompletableFuture<?> unused = w.whenComplete(this);
  }

  private void refused(RuntimeException refusal) {
    DONE.setVolatile(this, 1);
    call.attemptDone(this, null, refusal);
  }

  /** The work completed. */
  @Override
  public void accept(@Nullable Object value, @Nullable Throwable failure) {
    end(value, failure);
  }

  /** The deadline passed. */
  @Override
  public void run() {
    if (!DONE.compareAndSet(this, 0, 1)) {
      return;
    }
    TimeoutPolicy policy = java.util.Objects.requireNonNull(guard.timeout);
    CallTimeoutException timeout = new CallTimeoutException(policy.timeout(), null);
    CompletableFuture<? extends T> w = work;
    if (w != null) {
      w.cancel(true); // its completion handler finds the attempt done
    }
    guard.timedOut(policy);
    record(timeout);
    call.attemptDone(this, null, timeout);
  }

  /** The call no longer needs this attempt: cancel the work, record nothing. */
  void cancel() {
    if (!DONE.compareAndSet(this, 0, 1)) {
      return;
    }
    ScheduledFuture<?> d = deadline;
    if (d != null) {
      d.cancel(false);
    }
    CompletableFuture<? extends T> w = work;
    if (w != null) {
      w.cancel(true);
    }
    release();
  }

  private void end(@Nullable Object value, @Nullable Throwable failure) {
    if (!DONE.compareAndSet(this, 0, 1)) {
      return;
    }
    ScheduledFuture<?> d = deadline;
    if (d != null) {
      d.cancel(false); // removes the timer entry at once
    }
    Throwable cause = failure == null ? null : unwrap(failure);
    if (cause instanceof CancellationException) {
      release(); // cancelled from outside: says nothing about the dependency
    } else {
      record(cause);
    }
    if (cause == null) {
      HedgePolicy hedge = guard.hedge;
      if (hedge != null) {
        hedge.recordLatency(guard.ticker.read() - startNanos);
      }
    }
    call.attemptDone(this, value, cause);
  }

  private void record(@Nullable Throwable failure) {
    Permit p = permit;
    if (p != null) {
      Guard.complete(p, failure);
    }
    CircuitBreaker cb = guard.breaker;
    Object t = token;
    if (cb != null && t != null) {
      long now = guard.ticker.read();
      cb.onResult(t, now - startNanos, now, failure);
    }
  }

  private void release() {
    Permit p = permit;
    if (p != null) {
      p.ignore();
    }
    CircuitBreaker cb = guard.breaker;
    Object t = token;
    if (cb != null && t != null) {
      cb.release(t);
    }
  }

  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
