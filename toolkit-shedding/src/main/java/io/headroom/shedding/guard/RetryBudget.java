package io.headroom.shedding.guard;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Caps retries (and hedges) at a fraction of first attempts, so a failing dependency is not
 * hammered: over a sliding window, retries may add at most {@code ratio × first attempts +
 * minRetriesPerSecond × window seconds}. With the defaults (10%, 10 per second, 10 s window) a
 * dependency that fails every call sees at most about 1.1 attempts per request once traffic is
 * well above 100 requests per second. This is Finagle's {@code RetryBudget} and gRPC's retry
 * throttling, written as a sliding window.
 *
 * <p>How it is kept: the window is split into 10 buckets, each with its epoch and two counters
 * (deposits, withdrawals) updated by atomic increments. {@link #tryWithdraw()} increments the
 * withdrawal counter first and checks the window afterwards, undoing the increment if it went
 * over, so concurrent withdrawals never exceed the budget (they may briefly under-use it). A
 * bucket's counts are reset when its slot comes round again; a count racing that reset may be
 * lost (at most one per racing thread per bucket).
 *
 * <p>Cost: {@link #deposit()} is one atomic increment; {@link #tryWithdraw()} reads the 10
 * buckets. Shared by every call through the guards that use it. Thread-safe.
 */
public final class RetryBudget {
  private static final int BUCKETS = 10;
  private static final RetryBudget UNLIMITED = new RetryBudget();

  private final boolean unlimited;
  private final double ratio;
  private final double reserve;
  private final long bucketNanos;
  private final Ticker ticker;
  private final AtomicLongArray epochs;
  private final AtomicLongArray deposits;
  private final AtomicLongArray withdrawals;
  private final AtomicLong denied = new AtomicLong();
  private final AtomicLong withdrawn = new AtomicLong();

  private RetryBudget() {
    this.unlimited = true;
    this.ratio = Double.POSITIVE_INFINITY;
    this.reserve = Double.POSITIVE_INFINITY;
    this.bucketNanos = 1;
    this.ticker = Ticker.system();
    this.epochs = new AtomicLongArray(0);
    this.deposits = new AtomicLongArray(0);
    this.withdrawals = new AtomicLongArray(0);
  }

  private RetryBudget(Builder builder) {
    this.unlimited = false;
    this.ratio = builder.ratio;
    this.reserve = builder.minRetriesPerSecond * (builder.window.toNanos() / 1e9);
    this.bucketNanos = Math.max(1, builder.window.toNanos() / BUCKETS);
    this.ticker = builder.ticker;
    this.epochs = new AtomicLongArray(BUCKETS);
    this.deposits = new AtomicLongArray(BUCKETS);
    this.withdrawals = new AtomicLongArray(BUCKETS);
    for (int i = 0; i < BUCKETS; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  /** A budget with the defaults: 10% of first attempts, 10 retries per second, 10 s window. */
  public static RetryBudget ofDefaults() {
    return builder().build();
  }

  /** A budget that never denies: plain "retry up to N times" behaviour. */
  public static RetryBudget unlimited() {
    return UNLIMITED;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Records one first attempt, which earns {@code ratio} of a retry. */
  public void deposit() {
    if (!unlimited) {
      deposits.incrementAndGet(bucket(ticker.read()));
    }
  }

  /** Takes one retry from the budget; {@code false} (and counted) if none is left. */
  public boolean tryWithdraw() {
    if (unlimited) {
      withdrawn.incrementAndGet();
      return true;
    }
    long now = ticker.read();
    int bucket = bucket(now);
    withdrawals.incrementAndGet(bucket);
    if (balance(now) < 0) {
      withdrawals.decrementAndGet(bucket);
      denied.incrementAndGet();
      return false;
    }
    withdrawn.incrementAndGet();
    return true;
  }

  /** Retries still allowed in the current window (may be fractional); infinite if unlimited. */
  public double balance() {
    return unlimited ? Double.POSITIVE_INFINITY : balance(ticker.read());
  }

  /** Retries granted since creation. */
  public long withdrawn() {
    return withdrawn.get();
  }

  /** Retries denied since creation. */
  public long denied() {
    return denied.get();
  }

  private double balance(long now) {
    long current = Math.floorDiv(now, bucketNanos);
    long d = 0;
    long w = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long epoch = epochs.get(i);
      if (epoch <= current && epoch > current - BUCKETS) {
        d += deposits.get(i);
        w += withdrawals.get(i);
      }
    }
    return reserve + ratio * d - w;
  }

  private int bucket(long now) {
    long epochNow = Math.floorDiv(now, bucketNanos);
    int index = (int) Math.floorMod(epochNow, (long) BUCKETS);
    long epoch = epochs.get(index);
    if (epoch != epochNow && epoch < epochNow && epochs.compareAndSet(index, epoch, epochNow)) {
      deposits.set(index, 0);
      withdrawals.set(index, 0);
    }
    return index;
  }

  @Override
  public String toString() {
    return unlimited
        ? "RetryBudget[unlimited]"
        : "RetryBudget[ratio=" + ratio + ", reserve=" + reserve + ", balance=" + balance() + "]";
  }

  /** Builds a {@link RetryBudget}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private double ratio = 0.1;
    private double minRetriesPerSecond = 10;
    private Duration window = Duration.ofSeconds(10);
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** Retries allowed per first attempt, in [0, 1000]; default 0.1 (10%). */
    public Builder ratio(double ratio) {
      this.ratio = ratio;
      return this;
    }

    /** Retries allowed per second whatever the traffic, ≥ 0; default 10. */
    public Builder minRetriesPerSecond(double minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /** The sliding window, at least 10 ms; default 10 s. */
    public Builder window(Duration window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    /** The clock; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Validates the settings and builds.
     *
     * @throws IllegalArgumentException if a setting is out of range, naming it and its value
     */
    public RetryBudget build() {
      if (!(ratio >= 0 && ratio <= 1000)) {
        throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0..1000)");
      }
      if (!(minRetriesPerSecond >= 0 && minRetriesPerSecond <= 1e9)) {
        throw new IllegalArgumentException(
            "minRetriesPerSecond: " + minRetriesPerSecond + " (expected: 0..1e9)");
      }
      if (window.compareTo(Duration.ofMillis(10)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("window: " + window + " (expected: 10ms..1d)");
      }
      return new RetryBudget(this);
    }
  }
}
