package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A concurrency limiter with priorities, whose limit is set by a {@link LimitAlgorithm} from the
 * outcome of every permit.
 *
 * <h2>Priority rule</h2>
 *
 * A request of priority {@code p} is admitted while {@code inFlight < max(1, floor(limit ×
 * fraction(p)))}, where {@code inFlight} counts admitted requests of every priority. Defaults:
 * CRITICAL 1.0, HIGH 0.9, NORMAL 0.75, LOW 0.5. So near the limit LOW is refused first, then
 * NORMAL, then HIGH, and the last {@code (1 − fraction(HIGH)) × limit} slots are reserved for
 * CRITICAL. The {@code max(1, …)} means any request is admitted when nothing at all is in
 * flight, so no level starves at a tiny limit and the limiter always gets samples to recover
 * from. Admission never raises in-flight above the limit it read; when the limit shrinks, the
 * excess drains as permits complete.
 *
 * <h2>Costs and guarantees</h2>
 *
 * <ul>
 *   <li>{@link #tryAcquire} takes no lock and never blocks: one compare-and-set on the in-flight
 *       counter, one counter increment, one ticker read, and one small permit object.
 *   <li>Completing a permit decrements in-flight and offers the sample to the algorithm through
 *       a try-lock (a compare-and-set): a thread that loses the race skips its sample (a drop is
 *       remembered and fed by the next winner), so sampling never makes a caller wait.
 *   <li>Completing a permit twice is a no-op; in-flight never goes negative.
 *   <li>{@link #acquire(Priority, Duration)} waits at most {@code maxWait}, parked (no thread per
 *       waiter, no {@code synchronized}), and queues per priority: higher priority first; within
 *       a priority first-in first-out, but newest first once the queue has not been empty for
 *       {@code queueInterval} (adaptive LIFO), when waiters older than {@code queueTargetDelay}
 *       are rejected instead of served late (CoDel, as in Facebook's "Fail at Scale").
 * </ul>
 *
 * <p>Thread-safe.
 */
// Priority.ordinal() is stable API (see Priority) and indexes the per-priority arrays.
@SuppressWarnings("EnumOrdinal")
public final class AdaptiveLimiter implements Limiter {
  private static final Logger LOG = LoggerFactory.getLogger(AdaptiveLimiter.class);
  private static final Priority[] PRIORITIES = Priority.values();
  private static final VarHandle IN_FLIGHT;
  private static final VarHandle SAMPLING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      IN_FLIGHT = lookup.findVarHandle(AdaptiveLimiter.class, "inFlight", int.class);
      SAMPLING = lookup.findVarHandle(AdaptiveLimiter.class, "sampling", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LimitAlgorithm algorithm;
  private final LimitTracker tracker;
  private final Ticker ticker;
  private final double[] fractions;
  private final @Nullable LimitListener listener;
  private final Predicate<Throwable> droppedWhen;
  private final int maxQueueDepth;
  private final long queueTargetNanos;
  private final long queueIntervalNanos;

  // Written only by the sampling winner; volatile so tryAcquire reads the latest published limit.
  private volatile int limit;
  private volatile long noLoadRttNanos = -1;
  // Accessed through IN_FLIGHT with volatile semantics: the CAS that admits is ordered with the
  // decrement that releases, so no admission can be based on a stale count.
  @SuppressWarnings("unused") // accessed through IN_FLIGHT
  private volatile int inFlight;
  // 0 or 1; the CAS 0 -> 1 acquires the tracker, the release store 1 -> 0 publishes its writes to
  // the next winner (happens-before between consecutive sample calls on different threads).
  @SuppressWarnings("unused") // accessed through SAMPLING
  private volatile int sampling;
  private final AtomicInteger pendingDrops = new AtomicInteger();

  private final LongAdder[] accepted = newAdders();
  private final LongAdder[] rejected = newAdders();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong listenerFailures = new AtomicLong();

  private final ReentrantLock queueLock = new ReentrantLock();
  private final ArrayDeque<Waiter>[] queues;
  private final AtomicInteger queued = new AtomicInteger();
  private volatile long lastEmptyNanos;

  @SuppressWarnings({"unchecked", "rawtypes"}) // generic array of deques, one per priority
  private AdaptiveLimiter(Builder b) {
    this.algorithm = b.algorithm;
    this.tracker = b.algorithm.newTracker();
    this.ticker = b.ticker;
    this.fractions = b.fractionArray();
    this.listener = b.listener;
    this.droppedWhen = b.droppedWhen;
    this.maxQueueDepth = b.maxQueueDepth;
    this.queueTargetNanos = Checks.nanos(b.queueTargetDelay);
    this.queueIntervalNanos = Checks.nanos(b.queueInterval);
    this.limit = tracker.limit();
    this.queues = new ArrayDeque[PRIORITIES.length];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new ArrayDeque<>();
    }
    this.lastEmptyNanos = ticker.read();
  }

  /** A builder with the default algorithm ({@link AimdLimit} defaults) and fractions. */
  public static Builder newBuilder() {
    return new Builder();
  }

  private static LongAdder[] newAdders() {
    LongAdder[] adders = new LongAdder[PRIORITIES.length];
    for (int i = 0; i < adders.length; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /** The algorithm that sets this limiter's limit. */
  public LimitAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public int inFlight() {
    return (int) IN_FLIGHT.getVolatile(this);
  }

  /** Callers waiting in {@link #acquire}. */
  public int queueDepth() {
    return queued.get();
  }

  /** The fraction of the limit that requests of this priority may use. */
  public double fraction(Priority priority) {
    return fractions[priority.ordinal()];
  }

  /**
   * How many requests of this priority may be in flight (of all priorities together) for it to
   * be admitted at the given limit: {@code max(1, floor(limit × fraction))}.
   */
  public int threshold(Priority priority, int limit) {
    return threshold(limit, priority.ordinal());
  }

  private int threshold(int lim, int p) {
    int t = (int) (lim * fractions[p]);
    return t < 1 ? 1 : t;
  }

  /** Increments in-flight if the priority's threshold allows; returns the new count or -1. */
  private int tryIncrement(int p) {
    for (; ; ) {
      int current = (int) IN_FLIGHT.getVolatile(this);
      if (current >= threshold(limit, p)) {
        return -1;
      }
      if (IN_FLIGHT.compareAndSet(this, current, current + 1)) {
        return current + 1;
      }
    }
  }

  @Override
  public @Nullable Permit tryAcquire(Priority priority) {
    int p = priority.ordinal();
    int now = tryIncrement(p);
    if (now < 0) {
      rejected[p].increment();
      return null;
    }
    accepted[p].increment();
    return new LimiterPermit(this, ticker.read(), now);
  }

  /**
   * Takes a permit, waiting up to {@code maxWait} for one (see the class javadoc for the queue
   * discipline). A zero {@code maxWait} is {@link #tryAcquire} that throws instead of returning
   * null.
   *
   * @return the permit, to be completed exactly once
   * @throws RejectedException if no permit came within {@code maxWait}, the queue was full, or
   *     the caller waited past the target delay while the queue was overloaded
   * @throws InterruptedException if interrupted while waiting (the caller then holds no permit)
   * @throws IllegalArgumentException if {@code maxWait} is negative
   */
  public Permit acquire(Priority priority, Duration maxWait) throws InterruptedException {
    Objects.requireNonNull(priority, "priority");
    long maxWaitNanos = Math.min(Checks.nanos(Checks.notNegative("maxWait", maxWait)), Long.MAX_VALUE / 4);
    Permit permit = tryAcquireQuietly(priority.ordinal());
    if (permit != null) {
      return permit;
    }
    int p = priority.ordinal();
    if (maxWaitNanos == 0) {
      rejected[p].increment();
      throw new RejectedException(priority, limit, "limit reached");
    }
    long start = ticker.read();
    Waiter waiter = new Waiter(Thread.currentThread(), p, start);
    queueLock.lock();
    try {
      if (queued.get() >= maxQueueDepth) {
        rejected[p].increment();
        throw new RejectedException(priority, limit, "queue full (" + maxQueueDepth + " waiting)");
      }
      if (queued.getAndIncrement() == 0) {
        lastEmptyNanos = start;
      }
      queues[p].addLast(waiter);
      // A permit released between our failed try and the enqueue is found here: the releaser
      // decrements in-flight before reading `queued`, we increment `queued` before reading
      // in-flight, so at least one of us sees the other (both are volatile accesses).
      drainLocked(start);
    } finally {
      queueLock.unlock();
    }
    return await(waiter, priority, start + maxWaitNanos);
  }

  private @Nullable Permit tryAcquireQuietly(int p) {
    int now = tryIncrement(p);
    if (now < 0) {
      return null;
    }
    accepted[p].increment();
    return new LimiterPermit(this, ticker.read(), now);
  }

  private Permit await(Waiter waiter, Priority priority, long deadline) throws InterruptedException {
    for (; ; ) {
      int state = waiter.state;
      if (state == Waiter.GRANTED) {
        return Objects.requireNonNull(waiter.permit, "granted permit");
      }
      if (state == Waiter.REJECTED) {
        throw new RejectedException(
            priority, limit, "waited past the target delay while the queue was overloaded");
      }
      long now = ticker.read();
      long waited = now - waiter.enqueuedNanos;
      boolean pastTarget = waited > queueTargetNanos;
      boolean overloaded = now - lastEmptyNanos > queueIntervalNanos;
      if (now - deadline >= 0 || (pastTarget && overloaded)) {
        if (cancel(waiter, now)) {
          throw new RejectedException(
              priority,
              limit,
              now - deadline >= 0
                  ? "no permit within maxWait"
                  : "waited past the target delay while the queue was overloaded");
        }
        continue; // granted or rejected concurrently: the next round returns or throws
      }
      long park = deadline - now;
      park = Math.min(park, pastTarget ? queueIntervalNanos : queueTargetNanos - waited + 1);
      LockSupport.parkNanos(this, park);
      if (Thread.interrupted()) {
        if (cancel(waiter, ticker.read())) {
          throw new InterruptedException();
        }
        Thread.currentThread().interrupt(); // keep the flag; the permit was granted meanwhile
      }
    }
  }

  /** Removes a waiter that gave up; false if it was granted or rejected first. */
  private boolean cancel(Waiter waiter, long now) {
    queueLock.lock();
    try {
      if (!waiter.finish(Waiter.CANCELLED, null)) {
        return false;
      }
      queues[waiter.priority].remove(waiter);
      dequeued(now);
      rejected[waiter.priority].increment();
      return true;
    } finally {
      queueLock.unlock();
    }
  }

  private void dequeued(long now) {
    if (queued.decrementAndGet() == 0) {
      lastEmptyNanos = now;
    }
  }

  private void drainQueue() {
    queueLock.lock();
    try {
      drainLocked(ticker.read());
    } finally {
      queueLock.unlock();
    }
  }

  private void drainLocked(long now) {
    boolean overloaded = now - lastEmptyNanos > queueIntervalNanos;
    for (int p = 0; p < queues.length; p++) {
      ArrayDeque<Waiter> queue = queues[p];
      if (overloaded) {
        for (Waiter oldest = queue.peekFirst();
            oldest != null && now - oldest.enqueuedNanos > queueTargetNanos;
            oldest = queue.peekFirst()) {
          queue.pollFirst();
          if (oldest.finish(Waiter.REJECTED, null)) {
            dequeued(now);
            rejected[p].increment();
            LockSupport.unpark(oldest.thread);
          }
        }
      }
      for (Waiter next = overloaded ? queue.peekLast() : queue.peekFirst();
          next != null;
          next = overloaded ? queue.peekLast() : queue.peekFirst()) {
        if (next.state != Waiter.WAITING) {
          queue.remove(next);
          continue;
        }
        int count = tryIncrement(p);
        if (count < 0) {
          break;
        }
        if (overloaded) {
          queue.pollLast();
        } else {
          queue.pollFirst();
        }
        if (next.finish(Waiter.GRANTED, new LimiterPermit(this, now, count))) {
          dequeued(now);
          accepted[p].increment();
          LockSupport.unpark(next.thread);
        } else {
          IN_FLIGHT.getAndAdd(this, -1);
        }
      }
    }
  }

  /**
   * Runs {@code task} under a permit: success if it returns, dropped if it throws an exception
   * the {@code droppedWhen} predicate accepts, ignored (not sampled) for any other exception.
   *
   * @throws RejectedException if no permit is available (the task did not run)
   * @throws Exception what the task threw
   */
  public <T> T call(Priority priority, Callable<T> task) throws Exception {
    Objects.requireNonNull(task, "task");
    Permit permit = tryAcquire(priority);
    if (permit == null) {
      throw new RejectedException(priority, limit, "limit reached");
    }
    T result;
    try {
      result = task.call();
    } catch (Exception e) {
      completeExceptionally(permit, e);
      throw e;
    } catch (Error e) {
      permit.ignore();
      throw e;
    }
    permit.success();
    return result;
  }

  /**
   * Starts {@code task} under a permit and completes the permit when its stage completes,
   * classified as in {@link #call}. Never blocks.
   *
   * @return a future completed like the task's stage, or failed with {@link RejectedException}
   *     if no permit was available (the task was not started)
   */
  public <T> CompletableFuture<T> callAsync(
      Priority priority, Supplier<? extends CompletionStage<T>> task) {
    Objects.requireNonNull(task, "task");
    Permit permit = tryAcquire(priority);
    if (permit == null) {
      return CompletableFuture.failedFuture(new RejectedException(priority, limit, "limit reached"));
    }
    CompletionStage<T> stage;
    try {
      stage = task.get();
    } catch (RuntimeException | Error e) {
      completeExceptionally(permit, e);
      return CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      permit.ignore();
      return CompletableFuture.failedFuture(new NullPointerException("task returned a null stage"));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error == null) {
            permit.success();
            result.complete(value);
          } else {
            completeExceptionally(permit, error);
            result.completeExceptionally(unwrap(error));
          }
        });
    return result;
  }

  private void completeExceptionally(Permit permit, Throwable error) {
    boolean drop;
    try {
      drop = droppedWhen.test(unwrap(error));
    } catch (RuntimeException e) {
      LOG.warn("droppedWhen predicate failed; treating the outcome as ignored", e);
      drop = false;
    }
    if (drop) {
      permit.dropped();
    } else {
      permit.ignore();
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The default {@code droppedWhen}: timeouts and refusals by a downstream limiter. */
  public static boolean isTimeoutOrRejection(Throwable error) {
    return error instanceof TimeoutException
        || error instanceof java.net.SocketTimeoutException
        || error instanceof RejectedException;
  }

  /** A snapshot of the limiter's state and counters; allocates, meant for metrics and tests. */
  public LimiterSnapshot snapshot() {
    long[] acc = new long[PRIORITIES.length];
    long[] rej = new long[PRIORITIES.length];
    for (int i = 0; i < acc.length; i++) {
      acc[i] = accepted[i].sum();
      rej[i] = rejected[i].sum();
    }
    long noLoad = noLoadRttNanos;
    return new LimiterSnapshot(
        limit,
        inFlight(),
        queued.get(),
        acc,
        rej,
        dropped.sum(),
        listenerFailures.get(),
        noLoad < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(noLoad)));
  }

  // Outcomes of a permit.
  private static final int SUCCESS = 0;
  private static final int DROPPED = 1;
  private static final int IGNORED = 2;

  void complete(LimiterPermit permit, int outcome) {
    long end = outcome == IGNORED ? 0 : ticker.read();
    IN_FLIGHT.getAndAdd(this, -1);
    if (outcome == DROPPED) {
      dropped.increment();
    }
    if (outcome != IGNORED) {
      sample(permit.startNanos, end - permit.startNanos, permit.inFlightAtStart, outcome == DROPPED);
    }
    if (queued.get() > 0) {
      drainQueue();
    }
  }

  private void sample(long start, long rtt, int inFlightAtStart, boolean drop) {
    if (!SAMPLING.compareAndSet(this, 0, 1)) {
      if (drop) {
        pendingDrops.incrementAndGet();
      }
      return;
    }
    try {
      int before = limit;
      int after;
      if (pendingDrops.get() > 0) {
        for (int n = pendingDrops.getAndSet(0); n > 0; n--) {
          tracker.onSample(start, 0, inFlightAtStart, true);
        }
      }
      after = tracker.onSample(start, rtt, inFlightAtStart, drop);
      long noLoad = tracker.noLoadRttNanos();
      if (noLoad != noLoadRttNanos) {
        noLoadRttNanos = noLoad;
      }
      if (after != before) {
        limit = after;
        notifyListener(before, after);
      }
    } finally {
      SAMPLING.setRelease(this, 0);
    }
  }

  private void notifyListener(int before, int after) {
    LimitListener l = listener;
    if (l == null) {
      return;
    }
    try {
      l.onLimitChange(before, after);
    } catch (RuntimeException e) {
      if (listenerFailures.getAndIncrement() == 0) {
        LOG.warn("limit listener failed (further failures are counted in the snapshot)", e);
      } else {
        LOG.debug("limit listener failed again", e);
      }
    }
  }

  @Override
  public String toString() {
    return "AdaptiveLimiter{" + algorithm + ", limit=" + limit + ", inFlight=" + inFlight() + "}";
  }

  /** A permit of this limiter; completion is idempotent through a CAS on {@code done}. */
  static final class LimiterPermit implements Permit {
    private static final VarHandle DONE;

    static {
      try {
        DONE = MethodHandles.lookup().findVarHandle(LimiterPermit.class, "done", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final AdaptiveLimiter limiter;
    final long startNanos;
    final int inFlightAtStart;

    @SuppressWarnings("unused") // accessed through DONE
    private volatile int done;

    LimiterPermit(AdaptiveLimiter limiter, long startNanos, int inFlightAtStart) {
      this.limiter = limiter;
      this.startNanos = startNanos;
      this.inFlightAtStart = inFlightAtStart;
    }

    private boolean claim() {
      return DONE.compareAndSet(this, 0, 1);
    }

    @Override
    public void success() {
      if (claim()) {
        limiter.complete(this, SUCCESS);
      }
    }

    @Override
    public void dropped() {
      if (claim()) {
        limiter.complete(this, DROPPED);
      }
    }

    @Override
    public void ignore() {
      if (claim()) {
        limiter.complete(this, IGNORED);
      }
    }
  }

  /** A caller parked in {@link #acquire}; its state moves once from WAITING, under queueLock. */
  private static final class Waiter {
    static final int WAITING = 0;
    static final int GRANTED = 1;
    static final int REJECTED = 2;
    static final int CANCELLED = 3;

    final Thread thread;
    final int priority;
    final long enqueuedNanos;
    volatile int state = WAITING;
    volatile @Nullable Permit permit;

    Waiter(Thread thread, int priority, long enqueuedNanos) {
      this.thread = thread;
      this.priority = priority;
      this.enqueuedNanos = enqueuedNanos;
    }

    /** Moves out of WAITING; callers hold queueLock, so a plain check-then-set is enough. */
    boolean finish(int newState, @Nullable Permit granted) {
      if (state != WAITING) {
        return false;
      }
      permit = granted; // written before the volatile state write that publishes it
      state = newState;
      return true;
    }
  }

  /**
   * Settings for {@link AdaptiveLimiter}. Not thread-safe; reusable ({@link #build()} copies
   * the settings, and each limiter starts its own tracker from the algorithm).
   */
  public static final class Builder {
    private LimitAlgorithm algorithm = AimdLimit.newBuilder().build();
    private final Map<Priority, Double> fractions = new EnumMap<>(Priority.class);
    private Ticker ticker = Ticker.system();
    private @Nullable LimitListener listener;
    private Predicate<Throwable> droppedWhen = AdaptiveLimiter::isTimeoutOrRejection;
    private int maxQueueDepth = 1000;
    private Duration queueTargetDelay = Duration.ofMillis(5);
    private Duration queueInterval = Duration.ofMillis(100);

    private Builder() {
      fractions.put(Priority.CRITICAL, 1.0);
      fractions.put(Priority.HIGH, 0.9);
      fractions.put(Priority.NORMAL, 0.75);
      fractions.put(Priority.LOW, 0.5);
    }

    /** The limit algorithm; default {@link AimdLimit} with its defaults. */
    public Builder limit(LimitAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * The share of the limit requests of {@code priority} may use, in (0, 1]. Defaults:
     * CRITICAL 1.0, HIGH 0.9, NORMAL 0.75, LOW 0.5.
     */
    public Builder fraction(Priority priority, double fraction) {
      fractions.put(Objects.requireNonNull(priority, "priority"), fraction);
      return this;
    }

    /** The time source; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Told of every limit change; default none. */
    public Builder listener(LimitListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Which exceptions of {@link #call}/{@link #callAsync} mean the downstream was overloaded
     * (sampled as dropped); others are ignored. Default {@link #isTimeoutOrRejection}.
     */
    public Builder droppedWhen(Predicate<Throwable> droppedWhen) {
      this.droppedWhen = Objects.requireNonNull(droppedWhen, "droppedWhen");
      return this;
    }

    /** The most callers that may wait in {@link #acquire} at once; default 1000. */
    public Builder maxQueueDepth(int maxQueueDepth) {
      this.maxQueueDepth = maxQueueDepth;
      return this;
    }

    /** CoDel target: the longest a caller waits once the queue is overloaded; default 5ms. */
    public Builder queueTargetDelay(Duration queueTargetDelay) {
      this.queueTargetDelay = queueTargetDelay;
      return this;
    }

    /**
     * CoDel interval: the queue counts as overloaded when it has not been empty for this long;
     * default 100ms.
     */
    public Builder queueInterval(Duration queueInterval) {
      this.queueInterval = queueInterval;
      return this;
    }

    double[] fractionArray() {
      double[] array = new double[PRIORITIES.length];
      for (Priority p : PRIORITIES) {
        array[p.ordinal()] = Objects.requireNonNull(fractions.get(p), "fraction");
      }
      return array;
    }

    /**
     * Builds the limiter.
     *
     * @throws IllegalArgumentException for a fraction outside (0, 1], {@code maxQueueDepth} ≤ 0,
     *     or a non-positive queue target delay or interval
     */
    public AdaptiveLimiter build() {
      for (Priority p : PRIORITIES) {
        double f = Objects.requireNonNull(fractions.get(p), "fraction");
        Checks.fraction("fraction(" + p + ")", f);
      }
      Checks.positive("maxQueueDepth", maxQueueDepth);
      Checks.positive("queueTargetDelay", queueTargetDelay);
      Checks.positive("queueInterval", queueInterval);
      AdaptiveLimiter built = new AdaptiveLimiter(this);
      assert Arrays.equals(built.fractions, fractionArray());
      return built;
    }
  }
}
