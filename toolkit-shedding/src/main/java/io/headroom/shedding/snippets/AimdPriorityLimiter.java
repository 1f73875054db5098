package io.headroom.shedding.snippets;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;

/**
 * Copy-in snippet (Headroom, toolkit-shedding): an AIMD concurrency limiter with priorities in
 * one file that depends on the JDK alone. Copy it into your codebase and change the package.
 *
 * <p>{@link #tryAcquire} admits a request of priority {@code p} while {@code inFlight < max(1,
 * floor(limit × fraction(p)))} (defaults CRITICAL 1.0, HIGH 0.9, NORMAL 0.75, LOW 0.5) and
 * returns a {@link Permit}, or returns {@code null} to shed it. Complete each permit once:
 * {@link Permit#success()}, {@link Permit#dropped()} (the downstream timed out or refused: the
 * limit backs off) or {@link Permit#ignore()}; a second completion is a no-op.
 *
 * <p>The limit follows AIMD: a success taken while at least half the limit was in use adds
 * {@code 1 / limit} (about +1 per round trip); a drop multiplies it by {@code backoffRatio}, at
 * most once per congestion epoch (drops of requests admitted after the previous back-off, or a
 * full limit's worth of drops since it), down to {@code minLimit}.
 *
 * <p>Cost: {@code tryAcquire} is one compare-and-set and one clock read; completion is one
 * compare-and-set on the permit, one atomic decrement and a try-lock-free limit update (a
 * thread that finds another one updating skips its success sample; a skipped drop is kept and
 * applied by the next update). No lock, no blocking. Thread-safe.
 *
 * <p>This is the same algorithm as {@code io.headroom.shedding.AimdLimit} with
 * {@code io.headroom.shedding.AdaptiveLimiter}, without their waiting queue, listener, metrics
 * and RTT timeout.
 */
// Priority.ordinal() indexes the fractions array; the enum order is part of this class's API.
@SuppressWarnings("EnumOrdinal")
public final class AimdPriorityLimiter {

  /** Request priorities, most important first. */
  public enum Priority {
    CRITICAL,
    HIGH,
    NORMAL,
    LOW
  }

  private static final AtomicIntegerFieldUpdater<AimdPriorityLimiter> IN_FLIGHT =
      AtomicIntegerFieldUpdater.newUpdater(AimdPriorityLimiter.class, "inFlight");
  private static final AtomicIntegerFieldUpdater<AimdPriorityLimiter> UPDATING =
      AtomicIntegerFieldUpdater.newUpdater(AimdPriorityLimiter.class, "updating");

  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;
  private final double[] fractions;
  private final LongSupplier nanoClock;

  private volatile int inFlight;

  @SuppressWarnings("UnusedVariable") // accessed through UPDATING
  private volatile int updating;
  private volatile int limit;
  // Owned by the thread holding `updating`; the CAS on it orders consecutive updates.
  private double exactLimit;
  private long lastBackoffNanos;
  private boolean backedOff;
  private int dropsSinceBackoff;
  private final AtomicInteger pendingDrops = new AtomicInteger();

  /** A limiter with min 2, max 1000, initial 20, backoff 0.9, the default fractions. */
  public AimdPriorityLimiter() {
    this(2, 1000, 20, 0.9, new double[] {1.0, 0.9, 0.75, 0.5}, System::nanoTime);
  }

  /**
   * A limiter.
   *
   * @param fractions share of the limit per priority, indexed by ordinal, each in (0, 1]
   * @param nanoClock time source in nanoseconds (e.g. {@code System::nanoTime})
   * @throws IllegalArgumentException naming the bad setting
   */
  public AimdPriorityLimiter(
      int minLimit,
      int maxLimit,
      int initialLimit,
      double backoffRatio,
      double[] fractions,
      LongSupplier nanoClock) {
    if (minLimit <= 0) {
      throw new IllegalArgumentException("minLimit: " + minLimit + " (expected: > 0)");
    }
    if (minLimit > maxLimit) {
      throw new IllegalArgumentException("minLimit: " + minLimit + " (expected: <= maxLimit " + maxLimit + ")");
    }
    if (initialLimit < minLimit || initialLimit > maxLimit) {
      throw new IllegalArgumentException(
          "initialLimit: " + initialLimit + " (expected: in [" + minLimit + ", " + maxLimit + "])");
    }
    if (!(backoffRatio > 0 && backoffRatio < 1)) {
      throw new IllegalArgumentException("backoffRatio: " + backoffRatio + " (expected: in (0, 1))");
    }
    if (fractions.length != Priority.values().length) {
      throw new IllegalArgumentException(
          "fractions: " + fractions.length + " values (expected: " + Priority.values().length + ")");
    }
    for (int i = 0; i < fractions.length; i++) {
      if (!(fractions[i] > 0 && fractions[i] <= 1)) {
        throw new IllegalArgumentException(
            "fraction(" + Priority.values()[i] + "): " + fractions[i] + " (expected: in (0, 1])");
      }
    }
    if (nanoClock == null) {
      throw new NullPointerException("nanoClock");
    }
    this.minLimit = minLimit;
    this.maxLimit = maxLimit;
    this.backoffRatio = backoffRatio;
    this.fractions = fractions.clone();
    this.nanoClock = nanoClock;
    this.exactLimit = initialLimit;
    this.limit = initialLimit;
  }

  /** The current limit. */
  public int limit() {
    return limit;
  }

  /** Requests admitted and not completed. */
  public int inFlight() {
    return inFlight;
  }

  /**
   * Admits a request or sheds it. Never blocks.
   *
   * @return a permit to complete once, or {@code null} if the request must be shed
   */
  // Returning null keeps the rejection path free of allocation; the snippet cannot depend on
  // JSpecify to say @Nullable, so NullAway is told here instead.
  @SuppressWarnings("NullAway")
  public Permit tryAcquire(Priority priority) {
    double fraction = fractions[priority.ordinal()];
    for (; ; ) {
      int current = inFlight;
      int threshold = Math.max(1, (int) (limit * fraction));
      if (current >= threshold) {
        return null;
      }
      if (IN_FLIGHT.compareAndSet(this, current, current + 1)) {
        return new Permit(nanoClock.getAsLong(), current + 1);
      }
    }
  }

  private void release(Permit permit, boolean sample, boolean drop) {
    IN_FLIGHT.decrementAndGet(this);
    if (!sample) {
      return;
    }
    if (!UPDATING.compareAndSet(this, 0, 1)) {
      if (drop) {
        pendingDrops.incrementAndGet();
      }
      return;
    }
    try {
      long now = nanoClock.getAsLong();
      for (int n = pendingDrops.get() > 0 ? pendingDrops.getAndSet(0) : 0; n > 0; n--) {
        backOff(permit.startNanos, now);
      }
      if (drop) {
        backOff(permit.startNanos, now);
      } else if (permit.inFlightAtStart * 2 >= (int) exactLimit) {
        exactLimit = Math.min(maxLimit, exactLimit + 1 / exactLimit);
      }
      limit = (int) exactLimit;
    } finally {
      updating = 0;
    }
  }

  private void backOff(long startNanos, long now) {
    // Once per congestion epoch (requests admitted after the last back-off), or again after a
    // full limit's worth of drops (every call failing).
    dropsSinceBackoff++;
    if (!backedOff || startNanos - lastBackoffNanos >= 0 || dropsSinceBackoff >= (int) exactLimit) {
      exactLimit = Math.max(minLimit, Math.floor(exactLimit * backoffRatio));
      lastBackoffNanos = now;
      backedOff = true;
      dropsSinceBackoff = 0;
    }
  }

  private static final AtomicIntegerFieldUpdater<Permit> DONE =
      AtomicIntegerFieldUpdater.newUpdater(Permit.class, "done");

  /** One admitted request; complete it once. Thread-safe. */
  public final class Permit {
    private final long startNanos;
    private final int inFlightAtStart;
    @SuppressWarnings("UnusedVariable") // accessed through DONE
    private volatile int done;

    Permit(long startNanos, int inFlightAtStart) {
      this.startNanos = startNanos;
      this.inFlightAtStart = inFlightAtStart;
    }

    /** The request succeeded. */
    public void success() {
      if (DONE.compareAndSet(this, 0, 1)) {
        release(this, true, false);
      }
    }

    /** The downstream timed out or refused: the limit backs off. */
    public void dropped() {
      if (DONE.compareAndSet(this, 0, 1)) {
        release(this, true, true);
      }
    }

    /** Release without changing the limit. */
    public void ignore() {
      if (DONE.compareAndSet(this, 0, 1)) {
        release(this, false, false);
      }
    }
  }
}
