package io.headroom.shedding.guard;

import io.headroom.shedding.Ticker;
import io.headroom.shedding.guard.internal.OutcomeWindow;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops calling a dependency that keeps failing (or answering slowly), and lets a few trial
 * calls through after a while to see whether it recovered.
 *
 * <p>States: {@link State#CLOSED} records outcomes in a sliding window (the last N calls, or the
 * last N seconds) and opens when, with at least {@code minimumCalls} in the window, the failure
 * rate or the slow-call rate reaches its threshold. {@link State#OPEN} refuses calls with
 * {@link CircuitOpenException} for {@code waitInOpen}, then the next call moves it to
 * {@link State#HALF_OPEN}, which admits {@code permittedCallsInHalfOpen} trial calls: when all
 * have completed it closes (rates below the thresholds) or opens again. Trial calls that never
 * complete cannot leave it stuck: once {@code maxWaitInHalfOpen} has passed in half-open, the
 * next call attempt opens it again. {@link #forceOpen()}, {@link #disable()} and {@link #reset()}
 * force a state.
 *
 * <p>An outcome is recorded against the state that admitted the call: the result of a call
 * admitted before a transition is ignored (a trial call that finishes after half-open timed out
 * changes nothing). What counts as a failure is {@code recordFailure} (default: every
 * exception, timeouts included); other exceptions count as successes.
 *
 * <p>Slow-call detection is off unless {@link Builder#slowCallRateThreshold} or
 * {@link Builder#slowCallDuration} is set: only then is every call timed, which costs two clock
 * readings per call (about 50 ns where {@code System.nanoTime()} costs 25 ns). A count-based
 * breaker without it reads no clock on the success path.
 *
 * <p>Cost: recording takes no lock: a count-based window is a ring of outcomes plus packed
 * totals updated with three atomic instructions; a time-based window is per-second buckets of
 * atomic counters. Rates are evaluated only when a failed or slow outcome is recorded. A state
 * is an immutable object swapped by compare-and-set, so exactly one thread performs each
 * transition and notifies the {@link GuardListener}. A refusal allocates nothing.
 *
 * <p>Thread-safe. One breaker may be shared by several guards.
 */
public final class CircuitBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  /** The breaker's states. */
  public enum State {
    /** Calls flow; outcomes are recorded. */
    CLOSED,
    /** Calls are refused until the wait in open state has passed. */
    OPEN,
    /** A limited number of trial calls decide between closing and opening again. */
    HALF_OPEN,
    /** Forced by {@link #forceOpen()}: every call is refused until {@link #reset()}. */
    FORCED_OPEN,
    /** Forced by {@link #disable()}: every call is permitted, nothing is recorded. */
    DISABLED
  }

  /** How the closed-state window is measured. */
  public enum WindowType {
    /** The last N calls. */
    COUNT_BASED,
    /** The calls of the last N seconds. */
    TIME_BASED
  }

  /** A point-in-time view of the breaker. */
  public record Snapshot(
      String name,
      State state,
      int bufferedCalls,
      double failureRatePercent,
      double slowCallRatePercent,
      long notPermittedCalls,
      long transitions) {}

  /** One state, immutable apart from the counters of the window or trials it owns. */
  static final class Phase {
    final State state;
    final long enteredAtNanos;
    final @Nullable OutcomeWindow window;
    /** Half-open trials, packed 16 bits each: admitted | completed | failed | slow. */
    final AtomicLong trials;

    Phase(State state, long enteredAtNanos, @Nullable OutcomeWindow window) {
      this.state = state;
      this.enteredAtNanos = enteredAtNanos;
      this.window = window;
      this.trials = new AtomicLong();
    }
  }

  private static final long ADMITTED = 1L << 48;
  private static final long COMPLETED = 1L << 32;
  private static final long FAILED = 1L << 16;
  private static final long SLOW_TRIAL = 1L;
  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(CircuitBreaker.class, "phase", Phase.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final WindowType windowType;
  private final int windowSize;
  private final int failureThresholdBp;
  private final int slowThresholdBp;
  private final long slowCallNanos;
  /** Slow-call detection is on: every call is timed (two clock readings). */
  private final boolean timesCalls;
  /** Recording needs the current time: calls are timed, or the window is time-based. */
  private final boolean needsClock;
  private final int minimumCalls;
  private final long waitInOpenNanos;
  private final int permittedInHalfOpen;
  private final long maxWaitInHalfOpenNanos;
  private final Predicate<Throwable> recordFailure;
  private final Ticker ticker;
  private final Events events;
  private final CircuitOpenException refusal;
  private final LongAdder notPermitted = new LongAdder();
  private final AtomicLong transitions = new AtomicLong();

  // Written only by compare-and-set (or getAndSet for forced states) through PHASE; volatile so
  // a caller that reads a phase sees the window and trial counters it was published with.
  private volatile Phase phase;

  private CircuitBreaker(Builder builder) {
    this.name = builder.name;
    this.windowType = builder.windowType;
    this.windowSize = builder.windowSize;
    this.failureThresholdBp = (int) Math.round(builder.failureRateThreshold * 100);
    this.slowThresholdBp = (int) Math.round(builder.slowCallRateThreshold * 100);
    this.slowCallNanos = builder.slowCallDuration.toNanos();
    this.timesCalls = builder.slowCallDetection;
    this.needsClock = timesCalls || builder.windowType == WindowType.TIME_BASED;
    this.minimumCalls = builder.minimumCallsSet ? builder.minimumCalls : defaultMinimumCalls(builder);
    this.waitInOpenNanos = builder.waitInOpen.toNanos();
    this.permittedInHalfOpen = builder.permittedCallsInHalfOpen;
    this.maxWaitInHalfOpenNanos = builder.maxWaitInHalfOpen.toNanos();
    this.recordFailure = builder.recordFailure;
    this.ticker = builder.ticker;
    this.events = new Events(builder.listener);
    this.refusal = new CircuitOpenException(name);
    this.phase = new Phase(State.CLOSED, ticker.read(), newWindow());
  }

  private static int defaultMinimumCalls(Builder builder) {
    return builder.windowType == WindowType.COUNT_BASED ? Math.min(100, builder.windowSize) : 100;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A count-based breaker with the defaults (see {@link Builder}). */
  public static CircuitBreaker ofDefaults(String name) {
    return builder(name).build();
  }

  private OutcomeWindow newWindow() {
    return windowType == WindowType.COUNT_BASED
        ? OutcomeWindow.countBased(windowSize)
        : OutcomeWindow.timeBased(windowSize);
  }

  public String name() {
    return name;
  }

  /** The current state (moving OPEN to HALF_OPEN happens on the next call attempt). */
  public State state() {
    return phase.state;
  }

  /**
   * Asks to make one call: returns a token to pass to {@link #onResult} or {@link #release}, or
   * {@code null} if the call is refused (counted). Never blocks.
   */
  @Nullable Object tryAcquire() {
    while (true) {
      Phase p = phase;
      switch (p.state) {
        case CLOSED, DISABLED -> {
          return p;
        }
        case FORCED_OPEN -> {
          notPermitted.increment();
          return null;
        }
        case OPEN -> {
          long now = ticker.read();
          if (now - p.enteredAtNanos < waitInOpenNanos) {
            notPermitted.increment();
            return null;
          }
          transition(p, State.HALF_OPEN, now); // whoever wins, look again
        }
        case HALF_OPEN -> {
          long now = ticker.read();
          if (now - p.enteredAtNanos >= maxWaitInHalfOpenNanos) {
            // Trials did not all complete in time: treat the missing ones as failures.
            transition(p, State.OPEN, now);
          } else {
            long t = p.trials.get();
            if ((t >>> 48) >= permittedInHalfOpen) {
              notPermitted.increment();
              return null;
            }
            if (p.trials.compareAndSet(t, t + ADMITTED)) {
              return p;
            }
          }
        }
      }
    }
  }

  /** Whether {@link #onResult} needs the current time and the call's duration. */
  boolean needsClock() {
    return needsClock;
  }

  /** The refusal thrown when {@link #tryAcquire()} returns {@code null}. */
  CircuitOpenException refusal() {
    return refusal;
  }

  /** Gives back a permission without an outcome (the call was not made, or was cancelled). */
  void release(Object token) {
    Phase p = (Phase) token;
    if (p.state == State.HALF_OPEN && phase == p) {
      p.trials.addAndGet(-ADMITTED);
    }
  }

  /** Records the outcome of a permitted call. */
  void onResult(Object token, long durationNanos, long nowNanos, @Nullable Throwable failure) {
    Phase p = (Phase) token;
    if (phase != p) {
      return; // admitted in a state that has ended; its outcome belongs to no window
    }
    boolean failed = failure != null && recordFailure.test(failure);
    boolean slow = timesCalls && durationNanos >= slowCallNanos;
    if (p.state == State.CLOSED) {
      OutcomeWindow window = Objects.requireNonNull(p.window);
      int outcome = (failed ? OutcomeWindow.FAILURE : 0) | (slow ? OutcomeWindow.SLOW : 0);
      window.record(outcome, nowNanos);
      if (outcome != 0) {
        long totals = window.totals(nowNanos);
        if (OutcomeWindow.calls(totals) >= minimumCalls && exceeds(totals)) {
          transition(p, State.OPEN, clock(nowNanos));
        }
      }
    } else if (p.state == State.HALF_OPEN) {
      long t = p.trials.addAndGet(COMPLETED + (failed ? FAILED : 0) + (slow ? SLOW_TRIAL : 0));
      long completed = (t >>> 32) & 0xFFFF;
      if (completed >= permittedInHalfOpen) {
        long failures = (t >>> 16) & 0xFFFF;
        long slowCalls = t & 0xFFFF;
        boolean reopen =
            failures * 10_000 >= (long) failureThresholdBp * completed
                || slowCalls * 10_000 >= (long) slowThresholdBp * completed;
        transition(p, reopen ? State.OPEN : State.CLOSED, clock(nowNanos));
      }
    }
  }

  /** {@code nowNanos} if the caller read the clock, else a fresh reading (transitions only). */
  private long clock(long nowNanos) {
    return needsClock ? nowNanos : ticker.read();
  }

  private boolean exceeds(long totals) {
    return OutcomeWindow.failureBasisPoints(totals) >= failureThresholdBp
        || OutcomeWindow.slowBasisPoints(totals) >= slowThresholdBp;
  }

  private void transition(Phase from, State to, long nowNanos) {
    Phase next = new Phase(to, nowNanos, to == State.CLOSED ? newWindow() : null);
    if (PHASE.compareAndSet(this, from, next)) {
      announce(from.state, to);
    }
  }

  private void force(State to) {
    Phase next = new Phase(to, ticker.read(), to == State.CLOSED ? newWindow() : null);
    Phase previous = (Phase) PHASE.getAndSet(this, next);
    announce(previous.state, to);
  }

  private void announce(State from, State to) {
    transitions.incrementAndGet();
    if (to == State.OPEN && from == State.CLOSED) {
      LOG.info("circuit breaker '{}' opened", name);
    } else if (to == State.CLOSED && from != State.CLOSED) {
      LOG.info("circuit breaker '{}' closed (was {})", name, from);
    } else {
      LOG.debug("circuit breaker '{}': {} -> {}", name, from, to);
    }
    events.stateChange(name, from, to);
  }

  /** Refuses every call until {@link #reset()}. */
  public void forceOpen() {
    force(State.FORCED_OPEN);
  }

  /** Permits every call and records nothing until {@link #reset()}. */
  public void disable() {
    force(State.DISABLED);
  }

  /** Moves to CLOSED with an empty window, from any state. */
  public void reset() {
    force(State.CLOSED);
  }

  /** Moves to OPEN now (the wait in open state starts now). */
  public void transitionToOpen() {
    force(State.OPEN);
  }

  /** A snapshot of the state, the window's rates and the refusal count. */
  public Snapshot snapshot() {
    Phase p = phase;
    long now = ticker.read();
    int calls;
    double failureRate;
    double slowRate;
    if (p.window != null) {
      long totals = p.window.totals(now);
      calls = OutcomeWindow.calls(totals);
      failureRate = OutcomeWindow.failureBasisPoints(totals) / 100.0;
      slowRate = OutcomeWindow.slowBasisPoints(totals) / 100.0;
    } else if (p.state == State.HALF_OPEN) {
      long t = p.trials.get();
      calls = (int) ((t >>> 32) & 0xFFFF);
      failureRate = calls == 0 ? 0 : ((t >>> 16) & 0xFFFF) * 100.0 / calls;
      slowRate = calls == 0 ? 0 : (t & 0xFFFF) * 100.0 / calls;
    } else {
      calls = 0;
      failureRate = 0;
      slowRate = 0;
    }
    return new Snapshot(name, p.state, calls, failureRate, slowRate, notPermitted.sum(), transitions.get());
  }

  long notPermitted() {
    return notPermitted.sum();
  }

  long listenerErrors() {
    return events.errors();
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + phase.state + "]";
  }

  /**
   * Builds a {@link CircuitBreaker}. Defaults: count-based window of 100 calls, failure-rate
   * threshold 50%, slow-call detection off (setting either slow-call setting turns it on, with
   * 100% and 60 s for the one not set), minimum calls 100 (at
   * most the window size), 60 s in open state, 10 trial calls in half-open, 60 s at most in
   * half-open, every exception a failure. Not thread-safe; {@link #build()} copies the settings.
   */
  public static final class Builder {
    private final String name;
    private WindowType windowType = WindowType.COUNT_BASED;
    private int windowSize = 100;
    private double failureRateThreshold = 50;
    private double slowCallRateThreshold = 100;
    private Duration slowCallDuration = Duration.ofSeconds(60);
    private boolean slowCallDetection;
    /** Set by {@link #minimumCalls}; 0 until then (the default depends on the window). */
    private int minimumCalls;
    private boolean minimumCallsSet;
    private Duration waitInOpen = Duration.ofSeconds(60);
    private int permittedCallsInHalfOpen = 10;
    private Duration maxWaitInHalfOpen = Duration.ofSeconds(60);
    private Predicate<Throwable> recordFailure = failure -> true;
    private Ticker ticker = Clocks.SYSTEM;
    private GuardListener listener = GuardListener.NONE;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** The window: the last {@code size} calls, or the last {@code size} seconds. */
    public Builder slidingWindow(WindowType type, int size) {
      this.windowType = Objects.requireNonNull(type, "type");
      this.windowSize = size;
      return this;
    }

    /** Failure rate (percent, in (0, 100]) at which the breaker opens. */
    public Builder failureRateThreshold(double percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /**
     * Slow-call rate (percent, in (0, 100]) at which the breaker opens; turns slow-call
     * detection on (default 100% once on).
     */
    public Builder slowCallRateThreshold(double percent) {
      this.slowCallRateThreshold = percent;
      this.slowCallDetection = true;
      return this;
    }

    /** Calls taking at least this long are slow; turns slow-call detection on (default 60 s once on). */
    public Builder slowCallDuration(Duration duration) {
      this.slowCallDuration = Objects.requireNonNull(duration, "duration");
      this.slowCallDetection = true;
      return this;
    }

    /**
     * Calls the window must hold before the rates are acted on: at least 1, and at most the
     * window size for a count-based window. Default 100 (at most the window size).
     */
    public Builder minimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
      this.minimumCallsSet = true;
      return this;
    }

    /** How long the breaker stays open before admitting trial calls. */
    public Builder waitInOpen(Duration wait) {
      this.waitInOpen = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** Trial calls admitted in half-open, in [1, 10000]. */
    public Builder permittedCallsInHalfOpen(int calls) {
      this.permittedCallsInHalfOpen = calls;
      return this;
    }

    /** The longest the breaker stays half-open waiting for its trial calls before opening again. */
    public Builder maxWaitInHalfOpen(Duration wait) {
      this.maxWaitInHalfOpen = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** Which exceptions count as failures; the others count as successes. */
    public Builder recordFailure(Predicate<Throwable> recordFailure) {
      this.recordFailure = Objects.requireNonNull(recordFailure, "recordFailure");
      return this;
    }

    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Receives {@link GuardListener#onStateChange} for this breaker. */
    public Builder listener(GuardListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Validates the settings and builds.
     *
     * @throws IllegalArgumentException if a setting is out of range, naming it and its value
     * @throws IllegalStateException if minimumCalls exceeds a count-based window's size (two
     *     settings that conflict), naming both
     */
    public CircuitBreaker build() {
      int maxSize = windowType == WindowType.COUNT_BASED ? (1 << 20) - 1 : 3600;
      if (windowSize < 1 || windowSize > maxSize) {
        throw new IllegalArgumentException(
            "slidingWindow size: " + windowSize + " (expected: 1.." + maxSize + " for " + windowType + ")");
      }
      if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
        throw new IllegalArgumentException(
            "failureRateThreshold: " + failureRateThreshold + " (expected: > 0 and <= 100)");
      }
      if (!(slowCallRateThreshold > 0 && slowCallRateThreshold <= 100)) {
        throw new IllegalArgumentException(
            "slowCallRateThreshold: " + slowCallRateThreshold + " (expected: > 0 and <= 100)");
      }
      if (slowCallDuration.isNegative() || slowCallDuration.isZero()) {
        throw new IllegalArgumentException("slowCallDuration: " + slowCallDuration + " (expected: > 0)");
      }
      if (waitInOpen.isNegative() || waitInOpen.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("waitInOpen: " + waitInOpen + " (expected: 0..1 day)");
      }
      if (permittedCallsInHalfOpen < 1 || permittedCallsInHalfOpen > 10_000) {
        throw new IllegalArgumentException(
            "permittedCallsInHalfOpen: " + permittedCallsInHalfOpen + " (expected: 1..10000)");
      }
      if (maxWaitInHalfOpen.isNegative()
          || maxWaitInHalfOpen.isZero()
          || maxWaitInHalfOpen.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "maxWaitInHalfOpen: " + maxWaitInHalfOpen + " (expected: > 0 and <= 1 day)");
      }
      if (minimumCallsSet && minimumCalls < 1) {
        throw new IllegalArgumentException("minimumCalls: " + minimumCalls + " (expected: >= 1)");
      }
      if (minimumCallsSet && windowType == WindowType.COUNT_BASED && minimumCalls > windowSize) {
        throw new IllegalStateException(
            "minimumCalls: " + minimumCalls + " (expected: <= slidingWindow size " + windowSize
                + " for COUNT_BASED)");
      }
      return new CircuitBreaker(this);
    }
  }
}
