package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.DoubleSupplier;

/**
 * Client-side adaptive throttling (Google SRE book, "Handling Overload"): the client counts, over
 * a sliding window, the requests it attempted and the ones the backend accepted, and rejects a
 * new request locally with probability {@code max(0, (requests − K × accepts) / (requests + 1))}.
 * While the backend accepts everything the probability is 0; when it starts refusing, the client
 * stops sending the share it would refuse anyway (with K = 2, up to twice the accepted rate still
 * reaches the backend, so it can signal recovery).
 *
 * <p>Usage: {@link #tryRequest()} before each call (false: fail locally); after a call that
 * reached the backend, {@link #onAccepted()} if the backend accepted it. Locally rejected
 * requests count as requests, as in the book.
 *
 * <p>The window is {@code buckets} buckets of {@code window / buckets} each; counts are updated
 * with atomic increments, no lock. A bucket is recycled by the first thread that sees it stale,
 * so an increment racing with that recycling may be lost: the counts are exact when calls do not
 * straddle a bucket boundary, approximate by a few calls otherwise. Thread-safe.
 */
public final class AdaptiveThrottle {
  private final double k;
  private final long bucketNanos;
  private final int buckets;
  private final Ticker ticker;
  private final DoubleSupplier random;
  // Per bucket i: [3i] epoch (bucket index since the ticker's origin), [3i+1] requests, [3i+2] accepts.
  private final AtomicLongArray cells;

  private AdaptiveThrottle(Builder b) {
    this.k = b.k;
    this.buckets = b.buckets;
    this.bucketNanos = Math.max(1, Checks.nanos(b.window) / b.buckets);
    this.ticker = b.ticker;
    this.random = b.random;
    this.cells = new AtomicLongArray(3 * buckets);
    for (int i = 0; i < buckets; i++) {
      cells.set(3 * i, Long.MIN_VALUE);
    }
  }

  /** A builder with defaults: K 2, window 2 minutes in 20 buckets. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Counts one request and decides whether to send it.
   *
   * @return true to send it to the backend; false to fail it locally
   */
  public boolean tryRequest() {
    long epoch = Math.floorDiv(ticker.read(), bucketNanos);
    double p = rejectProbability(epoch);
    cells.incrementAndGet(3 * current(epoch) + 1);
    return p <= 0 || random.getAsDouble() >= p;
  }

  /** The backend accepted a request sent after {@link #tryRequest()} returned true. */
  public void onAccepted() {
    long epoch = Math.floorDiv(ticker.read(), bucketNanos);
    cells.incrementAndGet(3 * current(epoch) + 2);
  }

  /** The current local rejection probability, in [0, 1). */
  public double rejectProbability() {
    return rejectProbability(Math.floorDiv(ticker.read(), bucketNanos));
  }

  /** Requests counted over the window. */
  public long requests() {
    return sum(Math.floorDiv(ticker.read(), bucketNanos), 1);
  }

  /** Accepts counted over the window. */
  public long accepts() {
    return sum(Math.floorDiv(ticker.read(), bucketNanos), 2);
  }

  private double rejectProbability(long epoch) {
    long requests = sum(epoch, 1);
    long accepts = sum(epoch, 2);
    return Math.max(0, (requests - k * accepts) / (requests + 1));
  }

  private long sum(long epoch, int field) {
    long total = 0;
    for (int i = 0; i < buckets; i++) {
      long e = cells.get(3 * i);
      if (e != Long.MIN_VALUE && epoch - e < buckets && epoch - e >= 0) {
        total += cells.get(3 * i + field);
      }
    }
    return total;
  }

  /** The bucket index for {@code epoch}, recycled first if it holds an older epoch. */
  private int current(long epoch) {
    int i = (int) Math.floorMod(epoch, (long) buckets);
    while (true) {
      long e = cells.get(3 * i);
      if (e == RECYCLING) {
        // Another thread is zeroing this bucket; its counts must not absorb ours. Brief.
        Thread.onSpinWait();
        continue;
      }
      if (e >= epoch) {
        return i; // current (or a newer epoch already: count there, approximate as documented)
      }
      // Claim the bucket, zero it, then publish the epoch: publishing before zeroing would let
      // increments from threads that already saw the new epoch be wiped out.
      if (cells.compareAndSet(3 * i, e, RECYCLING)) {
        cells.set(3 * i + 1, 0);
        cells.set(3 * i + 2, 0);
        cells.set(3 * i, epoch); // volatile write: happens-after the zeroing for every reader
        return i;
      }
    }
  }

  /** Epoch marker of a bucket being recycled; never a real epoch and outside every window. */
  private static final long RECYCLING = Long.MIN_VALUE + 1;

  /** Settings for {@link AdaptiveThrottle}; not thread-safe, reusable. */
  public static final class Builder {
    private double k = 2;
    private Duration window = Duration.ofMinutes(2);
    private int buckets = 20;
    private Ticker ticker = Ticker.system();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /** The multiplier K; default 2. Lower is more aggressive. Must be ≥ 1. */
    public Builder k(double k) {
      this.k = k;
      return this;
    }

    /** The sliding window; default 2 minutes. */
    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    /** Buckets the window is divided into; default 20. */
    public Builder buckets(int buckets) {
      this.buckets = buckets;
      return this;
    }

    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Uniform random numbers in [0, 1); default {@link ThreadLocalRandom}. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the throttle.
     *
     * @throws IllegalArgumentException if K &lt; 1, the window is not positive, or buckets ≤ 0
     */
    public AdaptiveThrottle build() {
      if (!(k >= 1) || Double.isInfinite(k)) {
        throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
      }
      Checks.positive("window", window);
      Checks.positive("buckets", buckets);
      return new AdaptiveThrottle(this);
    }
  }
}
