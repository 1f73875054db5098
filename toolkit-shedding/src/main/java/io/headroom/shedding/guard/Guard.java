package io.headroom.shedding.guard;

import io.headroom.shedding.Limiter;
import io.headroom.shedding.Permit;
import io.headroom.shedding.Priority;
import io.headroom.shedding.RejectedException;
import io.headroom.shedding.Ticker;
import io.headroom.shedding.guard.internal.DeadlineSweeper;
import io.headroom.shedding.guard.internal.SharedTimer;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs calls through a fixed composition of policies, any subset of them:
 *
 * <p>{@code Fallback(Retry | Hedge(CircuitBreaker(LoadShedder(Timeout(call)))))}
 *
 * <p>Read from the inside out: each attempt gets its own timeout; the load shedder (a
 * {@link Limiter} from part 1) admits it or throws {@link RejectedException}; the circuit
 * breaker admits it or throws {@link CircuitOpenException}, and records its outcome (the
 * shedder's refusals are not recorded: they say nothing about the dependency); retry (or, for
 * async calls, hedging) makes further attempts under the {@link RetryBudget}; the fallback
 * replaces the final failure, whichever policy produced it.
 *
 * <p>Load-shedder permits are completed by this rule: a success is {@link Permit#success()}, a
 * {@link CallTimeoutException} is {@link Permit#dropped()} (a congestion signal), any other
 * failure or a cancellation is {@link Permit#ignore()} (it says nothing about load).
 *
 * <p>Forms: {@link #call(Callable)} and {@link #run(Runnable)} run on the caller's thread (see
 * {@link TimeoutPolicy} for what a sync timeout does); {@link #callAsync(Supplier)} never blocks:
 * retry delays and hedges wait on the one shared timer, and the attempts they start run on the
 * guard's {@link Builder#asyncExecutor(Executor) async executor}. Cancelling the returned future
 * cancels the attempts in flight.
 *
 * <p>Cost: a sync call allocates nothing on the success path, timeout included (a sync deadline
 * is a per-thread slot swept by one shared thread), and reads the clock only for a breaker with
 * slow-call detection (twice) or a retry budget without a sync timeout (once); an async call
 * costs its result future, one object per attempt, and, when the work is not already complete,
 * the work future's completion node and one entry on the shared timer. Counters are
 * {@link LongAdder}s. No lock is taken and nothing waits inside a {@code synchronized} block, so
 * guards are safe on virtual threads.
 *
 * <p>Thread-safe; share one guard per dependency so the retry budget and breaker see all its calls.
 *
 * @param <T> the result type
 */
public final class Guard<T> {
  final @Nullable Fallback<T> fallback;
  final @Nullable RetryPolicy<? super T> retry;
  final @Nullable HedgePolicy hedge;
  final RetryBudget budget;
  final @Nullable CircuitBreaker breaker;
  final @Nullable Limiter limiter;
  final Priority priority;
  final @Nullable TimeoutPolicy timeout;
  final Ticker ticker;
  final SharedTimer timer;
  final DeadlineSweeper sweeper;
  final Executor asyncExecutor;
  final Events events;
  /** The guard reads System.nanoTime(), so the sweeper's coarse clock can stand in for it. */
  private final boolean systemClock;
  final boolean budgetSharesClock;

  final LongAdder successes = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder fallbacks = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder budgetDenials = new LongAdder();
  final LongAdder breakerRejections = new LongAdder();
  final LongAdder shedderRejections = new LongAdder();
  final LongAdder hedges = new LongAdder();
  final LongAdder hedgeWins = new LongAdder();

  private Guard(Builder<T> builder) {
    this.fallback = builder.fallback;
    this.retry = builder.retry;
    this.hedge = builder.hedge;
    RetryBudget configured = builder.budget;
    this.budget =
        configured != null ? configured : (retry != null || hedge != null) ? RetryBudget.ofDefaults() : RetryBudget.unlimited();
    this.breaker = builder.breaker;
    this.limiter = builder.limiter;
    this.priority = builder.priority;
    this.timeout = builder.timeout;
    this.ticker = builder.ticker;
    this.timer = builder.timer;
    this.sweeper = builder.sweeper;
    this.asyncExecutor = builder.asyncExecutor;
    this.events = new Events(builder.listener);
    this.systemClock = ticker == Clocks.SYSTEM;
    this.budgetSharesClock = budget.ticker() == ticker;
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /**
   * Calls {@code callable} through the guard on this thread.
   *
   * @return the call's result, or the fallback's
   * @throws Exception what the last attempt threw, or {@link CallTimeoutException},
   *     {@link CircuitOpenException}, {@link RejectedException},
   *     {@link RetryBudgetExhaustedException}, unless the fallback handled it; an
   *     {@link InterruptedException} if the caller is interrupted while waiting on a timeout
   *     executor
   */
  public T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    return execute(callable, false);
  }

  /**
   * Runs {@code runnable} through the guard on this thread; a fallback's value is discarded.
   * An interrupt while waiting on a timeout executor is rethrown as a
   * {@link CompletionException} with the interrupt flag set.
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    try {
      execute(runnable, true);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /**
   * Calls {@code supplier} (each attempt calls it again) and returns a future of the guarded
   * result. Never blocks; the first attempt is started on this thread, later ones (retries,
   * hedges) on the async executor. The future completes exceptionally with the failure (not
   * wrapped in {@code CompletionException}) unless the fallback handled it.
   */
  public CompletableFuture<T> callAsync(Supplier<? extends CompletableFuture<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    AsyncCall<T> call = new AsyncCall<>(this, supplier);
    call.start();
    return call;
  }

  // unchecked: the task's result is a T (or null for a Runnable). NullAway: a call's result is
  // passed through as the callable returned it, null included when T is a nullable type.
  @SuppressWarnings({"unchecked", "NullAway"})
  private T execute(Object task, boolean runnable) throws Exception {
    try {
      T result = retry == null ? (T) attempt(task, runnable, NO_TIME) : retrySync(retry, task, runnable);
      successes.increment();
      return result;
    } catch (Exception failure) {
      failures.increment();
      Fallback<T> handler = fallback;
      if (handler != null) {
        Object value = handler.apply(failure);
        if (value != Fallback.NO_MATCH) {
          fallbacks.increment();
          events.fallback(failure);
          return (T) value;
        }
      }
      throw failure;
    }
  }

  @SuppressWarnings({"unchecked", "NullAway"}) // as for execute()
  private T retrySync(RetryPolicy<? super T> policy, Object task, boolean runnable) throws Exception {
    long now = NO_TIME;
    if (budgetSharesClock && systemClock && timeout != null) {
      // The sweeper that serves this guard's sync deadlines keeps a coarse clock: the budget's
      // one-second buckets need no fresh reading.
      budget.deposit(sweeper.coarseNanos());
    } else if (budgetSharesClock) {
      now = ticker.read();
      budget.deposit(now); // one clock reading serves the budget and the first attempt
    } else {
      budget.deposit();
    }
    int attempt = 1;
    while (true) {
      T result = null;
      Exception failure = null;
      try {
        result = (T) attempt(task, runnable, attempt == 1 ? now : NO_TIME);
        if (attempt >= policy.maxAttempts() || !policy.retryOnResult(result)) {
          return result;
        }
      } catch (Exception e) {
        if (attempt >= policy.maxAttempts() || !policy.retryOn(e)) {
          throw e;
        }
        failure = e;
      }
      if (!budget.tryWithdraw()) {
        budgetDenials.increment();
        events.budgetExhausted(failure);
        if (failure == null) {
          return result;
        }
        throw new RetryBudgetExhaustedException(failure);
      }
      retries.increment();
      long delay = policy.delayNanos(attempt + 1);
      events.retry(attempt + 1, failure, delay);
      if (delay > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          if (failure == null) {
            return result;
          }
          throw failure;
        }
      }
      attempt++;
    }
  }

  /** "Read the clock yourself." */
  static final long NO_TIME = Long.MIN_VALUE;

  /**
   * One sync attempt: CircuitBreaker(LoadShedder(Timeout(call))). {@code now} is a reading of the
   * guard's ticker taken just before, or {@link #NO_TIME}.
   */
  private @Nullable Object attempt(Object task, boolean runnable, long now) throws Exception {
    CircuitBreaker cb = breaker;
    Object token = null;
    if (cb != null) {
      token = cb.tryAcquire();
      if (token == null) {
        breakerRejections.increment();
        throw cb.refusal();
      }
    }
    Permit permit = null;
    Limiter shedder = limiter;
    if (shedder != null) {
      permit = shedder.tryAcquire(priority);
      if (permit == null) {
        shedderRejections.increment();
        if (cb != null && token != null) {
          cb.release(token);
        }
        throw new RejectedException(priority, shedder.limit(), "concurrency limit reached");
      }
    }
    TimeoutPolicy policy = timeout;
    boolean timed = cb != null && cb.needsClock();
    long start = now;
    if (start == NO_TIME && timed) {
      start = ticker.read();
    }
    Throwable failure = null;
    try {
      return policy == null
          ? invoke(task, runnable)
          : invokeWithTimeout(policy, task, runnable);
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      if (permit != null) {
        complete(permit, failure);
      }
      if (cb != null && token != null) {
        long end = timed ? ticker.read() : 0L;
        cb.onResult(token, end - start, end, failure);
      }
    }
  }

  static void complete(Permit permit, @Nullable Throwable failure) {
    if (failure == null) {
      permit.success();
    } else if (failure instanceof CallTimeoutException) {
      permit.dropped();
    } else {
      permit.ignore();
    }
  }

  private static @Nullable Object invoke(Object task, boolean runnable) throws Exception {
    if (runnable) {
      ((Runnable) task).run();
      return null;
    }
    return ((Callable<?>) task).call();
  }

  private @Nullable Object invokeWithTimeout(TimeoutPolicy policy, Object task, boolean runnable)
      throws Exception {
    Executor executor = policy.executor();
    if (executor != null) {
      return invokeOnExecutor(policy, executor, task, runnable);
    }
    boolean wasInterrupted = Thread.currentThread().isInterrupted();
    DeadlineSweeper.Slot slot = sweeper.arm(policy.timeoutNanos(), policy.interrupt());
    Object result = null;
    Throwable failure = null;
    try {
      result = invoke(task, runnable);
    } catch (Throwable t) {
      failure = t;
    }
    if (sweeper.disarm(slot, wasInterrupted)) {
      timedOut(policy);
      throw new CallTimeoutException(policy.timeout(), failure);
    }
    if (failure != null) {
      throw sneaky(failure);
    }
    return result;
  }

  private @Nullable Object invokeOnExecutor(
      TimeoutPolicy policy, Executor executor, Object task, boolean runnable) throws Exception {
    FutureTask<@Nullable Object> work = new FutureTask<>(() -> invoke(task, runnable));
    executor.execute(work);
    try {
      return work.get(policy.timeoutNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      work.cancel(policy.interrupt());
      timedOut(policy);
      throw new CallTimeoutException(policy.timeout(), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw sneaky(cause == null ? e : cause);
    } catch (InterruptedException e) {
      work.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  void timedOut(TimeoutPolicy policy) {
    timeouts.increment();
    events.timeout(policy.timeout());
  }

  private static Exception sneaky(Throwable t) {
    if (t instanceof Error error) {
      throw error;
    }
    return (Exception) t;
  }

  /** Counters and states of every policy of this guard. */
  public GuardSnapshot snapshot() {
    CircuitBreaker cb = breaker;
    Limiter shedder = limiter;
    return new GuardSnapshot(
        successes.sum() + failures.sum(), // completed calls: one counter fewer on the hot path
        successes.sum(),
        failures.sum(),
        fallbacks.sum(),
        timeouts.sum(),
        retries.sum(),
        budgetDenials.sum(),
        budget.balance(),
        breakerRejections.sum(),
        cb == null ? null : cb.snapshot(),
        shedderRejections.sum(),
        shedder == null ? -1 : shedder.limit(),
        shedder == null ? -1 : shedder.inFlight(),
        hedges.sum(),
        hedgeWins.sum(),
        timer.pending(),
        events.errors() + (cb == null ? 0 : cb.listenerErrors()));
  }

  /** The circuit breaker, if this guard has one. */
  public @Nullable CircuitBreaker circuitBreaker() {
    return breaker;
  }

  /** The retry budget ({@link RetryBudget#unlimited()} when neither retry nor hedge is set). */
  public RetryBudget retryBudget() {
    return budget;
  }

  /**
   * Builds a {@link Guard} from any subset of policies; their order is fixed (see
   * {@link Guard}). Not thread-safe; {@link #build()} copies the settings.
   */
  public static final class Builder<T> {
    private @Nullable Fallback<T> fallback;
    private @Nullable RetryPolicy<? super T> retry;
    private @Nullable HedgePolicy hedge;
    private @Nullable RetryBudget budget;
    private @Nullable CircuitBreaker breaker;
    private @Nullable Limiter limiter;
    private Priority priority = Priority.NORMAL;
    private @Nullable TimeoutPolicy timeout;
    private Ticker ticker = Clocks.SYSTEM;
    private SharedTimer timer = SharedTimer.shared();
    private DeadlineSweeper sweeper = DeadlineSweeper.shared();
    private Executor asyncExecutor = ForkJoinPool.commonPool();
    private GuardListener listener = GuardListener.NONE;

    private Builder() {}

    public Builder<T> fallback(Fallback<T> fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    public Builder<T> retry(RetryPolicy<? super T> retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Hedging for {@link Guard#callAsync}; excludes {@link #retry}. */
    public Builder<T> hedge(HedgePolicy hedge) {
      this.hedge = Objects.requireNonNull(hedge, "hedge");
      return this;
    }

    /**
     * The budget retries and hedges draw on; default a new {@link RetryBudget#ofDefaults()} per
     * guard. Pass {@link RetryBudget#unlimited()} for plain "up to N attempts".
     */
    public Builder<T> retryBudget(RetryBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    public Builder<T> circuitBreaker(CircuitBreaker breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /** The load shedder: each attempt needs a permit from {@code limiter} at {@code priority}. */
    public Builder<T> loadShedder(Limiter limiter, Priority priority) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    public Builder<T> timeout(TimeoutPolicy timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The clock for call durations (slow calls); default {@link System#nanoTime()}. */
    public Builder<T> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Runs async retries and hedges; default {@link ForkJoinPool#commonPool()}. */
    public Builder<T> asyncExecutor(Executor executor) {
      this.asyncExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder<T> listener(GuardListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Test hook: a sync-deadline sweeper other than the shared one. */
    Builder<T> sweeper(DeadlineSweeper sweeper) {
      this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
      return this;
    }

    /** Test hook: a timer other than the shared one. */
    Builder<T> timer(SharedTimer timer) {
      this.timer = Objects.requireNonNull(timer, "timer");
      return this;
    }

    /**
     * Builds the guard.
     *
     * @throws IllegalStateException if both retry and hedge are set (they share one slot), or a
     *     retry budget is given without retry or hedge (settings that conflict); the message names
     *     the settings and their values
     */
    public Guard<T> build() {
      if (retry != null && hedge != null) {
        throw new IllegalStateException(
            "retry: " + retry + ", hedge: " + hedge
                + " (expected: at most one of retry and hedge; they share one slot)");
      }
      if (budget != null && retry == null && hedge == null) {
        throw new IllegalStateException(
            "retryBudget: " + budget + " (expected: only with retry or hedge, and neither is set)");
      }
      return new Guard<>(this);
    }
  }
}
