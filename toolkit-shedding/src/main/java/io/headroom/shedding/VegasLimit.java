package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;
import io.headroom.shedding.internal.RttWindow;
import java.time.Duration;

/**
 * TCP Vegas applied to concurrency: estimates how many requests are queued at the backend as
 * {@code queue = limit × (1 − noLoadRtt / rtt)} and keeps that between {@code alpha} and
 * {@code beta} (both scaled by {@code max(1, log10(limit))}): below alpha it grows by that log,
 * above beta it shrinks by it, in between it holds. A window with a drop multiplies the limit by
 * {@code backoffRatio}.
 *
 * <p>Samples are taken in windows of {@code window} samples; {@code rtt} is the window's median
 * and {@code noLoadRtt} is the robust estimate described on
 * {@link io.headroom.shedding.internal.RttWindow} (the minimum of recent light-load window
 * medians): a lucky fast sample cannot crush the limit, drops never enter it, and it cannot
 * ratchet up under sustained load. Growth steps are at least 1 (a plain {@code log10(limit)}
 * step is 0 at limit 1, which leaves Vegas stuck at its minimum).
 *
 * <p>Pick it when latency reflects queueing (a CPU- or pool-bound backend with a steady service
 * time): it holds a small, steady queue and reacts without waiting for drops.
 *
 * <p>Immutable and thread-safe; its trackers are not.
 */
public final class VegasLimit extends BoundedLimit {
  private final double alpha;
  private final double beta;
  private final double backoffRatio;
  private final int window;
  private final int history;
  private final long timeoutNanos;

  private VegasLimit(Builder b) {
    super(b);
    this.alpha = b.alpha;
    this.beta = b.beta;
    this.backoffRatio = b.backoffRatio;
    this.window = b.window;
    this.history = b.history;
    this.timeoutNanos = Checks.nanos(b.timeout);
  }

  /**
   * A builder with defaults: min 2, max 1000, initial 20, alpha 3, beta 6, backoff 0.9, window
   * 50 samples, history 10 windows, timeout 5s.
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
    return "VegasLimit{" + boundsToString()
        + ", alpha=" + alpha + ", beta=" + beta + ", window=" + window + "}";
  }

  private static final class Tracker implements LimitTracker {
    private final VegasLimit cfg;
    private final RttWindow samples;
    private double limit;

    Tracker(VegasLimit cfg) {
      this.cfg = cfg;
      this.samples = new RttWindow(cfg.window, cfg.history);
      this.limit = cfg.initialLimit();
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
      } else if (median >= 0 && noLoad >= 0) {
        double step = Math.max(1, Math.log10(limit));
        double queue = median <= 0 ? 0 : limit * (1 - (double) noLoad / median);
        if (queue > cfg.beta * step) {
          limit = Math.max(cfg.minLimit(), limit - step);
        } else if (queue < cfg.alpha * step && samples.lastMaxInFlight() * 2 >= (int) limit) {
          limit = Math.min(cfg.maxLimit(), limit + step);
        }
      }
      return (int) limit;
    }
  }

  /** Settings for {@link VegasLimit}; not thread-safe, reusable ({@link #build()} copies). */
  public static final class Builder extends BoundsBuilder<Builder> {
    private double alpha = 3;
    private double beta = 6;
    private double backoffRatio = 0.9;
    private int window = 50;
    private int history = 10;
    private Duration timeout = Duration.ofSeconds(5);

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Queue estimate (per log10 of the limit) below which the limit grows; > 0. */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Queue estimate (per log10 of the limit) above which the limit shrinks; > alpha. */
    public Builder beta(double beta) {
      this.beta = beta;
      return this;
    }

    /** Factor applied to the limit after a window with a drop, in (0, 1). */
    public Builder backoffRatio(double backoffRatio) {
      this.backoffRatio = backoffRatio;
      return this;
    }

    /** Samples per window; > 0. */
    public Builder window(int window) {
      this.window = window;
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
     *     limit outside them, alpha ≤ 0, backoff outside (0, 1), a window, history or timeout ≤ 0;
     *     the message names the setting and its value
     * @throws IllegalStateException if {@code beta <= alpha} (two settings that conflict)
     * @throws NullPointerException if the timeout is null
     */
    public VegasLimit build() {
      checkBounds();
      Checks.positive("alpha", alpha);
      Checks.positive("beta", beta);
      if (beta <= alpha) {
        throw new IllegalStateException("beta: " + beta + " (expected: > alpha " + alpha + ")");
      }
      Checks.openFraction("backoffRatio", backoffRatio);
      Checks.positive("window", window);
      Checks.positive("history", history);
      Checks.positive("timeout", timeout);
      return new VegasLimit(this);
    }
  }
}
