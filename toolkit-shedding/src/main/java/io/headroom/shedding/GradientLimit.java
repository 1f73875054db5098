package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;
import io.headroom.shedding.internal.RttWindow;
import java.time.Duration;

/**
 * The Gradient2 idea (Netflix concurrency-limits): compare a long-term RTT with the short-term
 * one. Per window of {@code window} samples, {@code gradient = clamp(tolerance × longRtt /
 * shortRtt, 0.5, 1)} and {@code newLimit = limit × gradient + sqrt(limit)}, smoothed as {@code
 * limit += smoothing × (newLimit − limit)}. The short-term RTT is the window's median; the
 * long-term RTT is an exponential average of window medians over about {@code longWindow}
 * samples.
 *
 * <p>Gradient2's long-term average follows the short-term RTT up under sustained load, so the
 * gradient returns to 1 and the limit drifts upward while latency grows (concurrency-limits
 * #137, #176). Here the long-term RTT is capped at {@code maxDrift × noLoadRtt}, where {@code
 * noLoadRtt} is the robust estimate of {@link io.headroom.shedding.internal.RttWindow}: queueing
 * can never become the new normal. A window with a drop multiplies the limit by {@code
 * backoffRatio}; a window that used less than half the limit does not grow it.
 *
 * <p>Pick it for a backend whose latency drifts for reasons other than load (caches warming,
 * garbage collection, a slowly changing mix): it tolerates up to {@code tolerance × maxDrift}
 * times the no-load RTT before shedding and moves smoothly.
 *
 * <p>Immutable and thread-safe; its trackers are not.
 */
public final class GradientLimit extends BoundedLimit {
  private final double tolerance;
  private final double maxDrift;
  private final double smoothing;
  private final double backoffRatio;
  private final int window;
  private final int longWindow;
  private final int history;
  private final long timeoutNanos;

  private GradientLimit(Builder b) {
    super(b);
    this.tolerance = b.tolerance;
    this.maxDrift = b.maxDrift;
    this.smoothing = b.smoothing;
    this.backoffRatio = b.backoffRatio;
    this.window = b.window;
    this.longWindow = b.longWindow;
    this.history = b.history;
    this.timeoutNanos = Checks.nanos(b.timeout);
  }

  /**
   * A builder with defaults: min 2, max 1000, initial 20, tolerance 1.5, maxDrift 1.2, smoothing
   * 0.2, backoff 0.9, window 20 samples, longWindow 600 samples, history 20 windows, timeout 5s.
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public LimitTracker newTracker() {
    return new Tracker(this);
  }

  @Override
  public String toString() {
    return "GradientLimit{" + boundsToString()
        + ", tolerance=" + tolerance + ", maxDrift=" + maxDrift + ", window=" + window + "}";
  }

  private static final class Tracker implements LimitTracker {
    private final GradientLimit cfg;
    private final RttWindow samples;
    private final double longWeight;
    private double limit;
    private double longRtt = -1;

    Tracker(GradientLimit cfg) {
      this.cfg = cfg;
      this.samples = new RttWindow(cfg.window, cfg.history);
      this.limit = cfg.initialLimit();
      double windows = Math.max(1.0, (double) cfg.longWindow / cfg.window);
      this.longWeight = 2 / (windows + 1);
    }

    @Override
    public int limit() {
      return (int) limit;
    }

    @Override
    public long noLoadRttNanos() {
      return samples.noLoad();
    }

    @Override
    public int onSample(long startNanos, long rttNanos, int inFlight, boolean dropped) {
      boolean drop = dropped || rttNanos >= cfg.timeoutNanos;
      if (!samples.add(rttNanos, inFlight, drop, (int) limit, cfg.minLimit())) {
        return (int) limit;
      }
      long median = samples.lastMedian();
      long noLoad = samples.noLoad();
      if (samples.lastDrops() > 0) {
        limit = Math.max(cfg.minLimit(), Math.floor(limit * cfg.backoffRatio));
        return (int) limit;
      }
      if (median < 0 || noLoad < 0) {
        return (int) limit;
      }
      longRtt = longRtt < 0 ? median : longRtt + longWeight * (median - longRtt);
      longRtt = Math.min(longRtt, cfg.maxDrift * noLoad);
      double gradient = median <= 0 ? 1 : Math.max(0.5, Math.min(1, cfg.tolerance * longRtt / median));
      if (gradient >= 1 && samples.lastMaxInFlight() * 2 < (int) limit) {
        return (int) limit; // application-limited: no evidence the backend could take more
      }
      double target = limit * gradient + Math.sqrt(limit);
      limit = limit + cfg.smoothing * (target - limit);
      limit = Math.max(cfg.minLimit(), Math.min(cfg.maxLimit(), limit));
      return (int) limit;
    }
  }

  /** Settings for {@link GradientLimit}; not thread-safe, reusable ({@link #build()} copies). */
  public static final class Builder extends BoundsBuilder<Builder> {
    private double tolerance = 1.5;
    private double maxDrift = 1.2;
    private double smoothing = 0.2;
    private double backoffRatio = 0.9;
    private int window = 20;
    private int longWindow = 600;
    private int history = 20;
    private Duration timeout = Duration.ofSeconds(5);

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** How much slower than the long-term RTT the short-term RTT may be before shrinking; ≥ 1. */
    public Builder tolerance(double tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    /** Cap of the long-term RTT as a multiple of the no-load RTT; ≥ 1. */
    public Builder maxDrift(double maxDrift) {
      this.maxDrift = maxDrift;
      return this;
    }

    /** Weight of each new target limit, in (0, 1]. */
    public Builder smoothing(double smoothing) {
      this.smoothing = smoothing;
      return this;
    }

    /** Factor applied to the limit after a window with a drop, in (0, 1). */
    public Builder backoffRatio(double backoffRatio) {
      this.backoffRatio = backoffRatio;
      return this;
    }

    /** Samples per window (the short-term RTT); > 0. */
    public Builder window(int window) {
      this.window = window;
      return this;
    }

    /** Samples the long-term RTT averages over; > 0. */
    public Builder longWindow(int longWindow) {
      this.longWindow = longWindow;
      return this;
    }

    /** Windows the no-load RTT estimate remembers; > 0. */
    public Builder history(int history) {
      this.history = history;
      return this;
    }

    /** A successful sample at least this slow counts as a drop. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the algorithm.
     *
     * @throws IllegalArgumentException for a limit ≤ 0, {@code minLimit > maxLimit}, an initial
     *     limit outside them, tolerance or maxDrift &lt; 1, smoothing outside (0, 1], backoff
     *     outside (0, 1), a window, long window, history or timeout ≤ 0
     */
    public GradientLimit build() {
      checkBounds();
      if (!(tolerance >= 1) || Double.isInfinite(tolerance)) {
        throw new IllegalArgumentException("tolerance: " + tolerance + " (expected: >= 1)");
      }
      if (!(maxDrift >= 1) || Double.isInfinite(maxDrift)) {
        throw new IllegalArgumentException("maxDrift: " + maxDrift + " (expected: >= 1)");
      }
      Checks.fraction("smoothing", smoothing);
      Checks.openFraction("backoffRatio", backoffRatio);
      Checks.positive("window", window);
      Checks.positive("longWindow", longWindow);
      Checks.positive("history", history);
      Checks.positive("timeout", timeout);
      return new GradientLimit(this);
    }
  }
}
