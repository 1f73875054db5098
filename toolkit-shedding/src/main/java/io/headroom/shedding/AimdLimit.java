package io.headroom.shedding;

import io.headroom.shedding.internal.Checks;
import java.time.Duration;

/**
 * Additive increase, multiplicative decrease (TCP Reno's congestion control applied to
 * concurrency): every successful sample taken while the limit was at least half used adds
 * {@code increase / limit} (so about {@code increase} per round trip of a full limit); a drop, or
 * a sample slower than {@code timeout}, multiplies the limit by {@code backoffRatio}.
 *
 * <p>Only drops move it down, so it needs a downstream that refuses or times out when
 * overloaded; it does not read latency otherwise. Pick it when the backend has a clear overload
 * signal (HTTP 503/429, timeouts) or latency is too noisy to read; it is the most predictable
 * algorithm and the one in the copy-in snippet.
 *
 * <p>Guards against known failure modes:
 *
 * <ul>
 *   <li>a burst of drops from one congestion event backs off once, not once per drop: a drop
 *       decreases the limit only if its request started after the previous decrease (as TCP
 *       halves once per window) or a full limit's worth of drops came since, so in-flight
 *       requests that were already doomed do not collapse the limit to its minimum;
 *   <li>drops shrink the limit whatever their RTT (an instant refusal is not a fast success);
 *   <li>if every call times out, every epoch backs off again, down to {@code minLimit};
 *   <li>growth does not depend on RTT, so it recovers from {@code minLimit} after overload in
 *       about {@code (target² − min²) / (2 × increase)} successful samples.
 * </ul>
 *
 * <p>Immutable and thread-safe; its trackers are not.
 */
public final class AimdLimit extends BoundedLimit {
  private final double backoffRatio;
  private final double increase;
  private final long timeoutNanos;

  private AimdLimit(Builder b) {
    super(b);
    this.backoffRatio = b.backoffRatio;
    this.increase = b.increase;
    this.timeoutNanos = Checks.nanos(b.timeout);
  }

  /** A builder with defaults: min 2, max 1000, initial 20, backoff 0.9, increase 1, timeout 5s. */
  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public LimitTracker newTracker() {
    return new Tracker(this);
  }

  @Override
  public String toString() {
    return "AimdLimit{" + boundsToString()
        + ", backoffRatio=" + backoffRatio + ", increase=" + increase + ", timeoutNanos="
        + timeoutNanos + "}";
  }

  private static final class Tracker implements LimitTracker {
    private final AimdLimit cfg;
    private double limit;
    private long lastDecreaseNanos = Long.MIN_VALUE;
    private boolean decreased;
    private int dropsSinceDecrease;

    Tracker(AimdLimit cfg) {
      this.cfg = cfg;
      this.limit = cfg.initialLimit();
    }

    @Override
    public int limit() {
      return (int) limit;
    }

    @Override
    public int onSample(long startNanos, long rttNanos, int inFlight, boolean dropped) {
      if (dropped || rttNanos >= cfg.timeoutNanos) {
        // One back-off per epoch: requests admitted before the last decrease were sent at the
        // old limit and their drops are part of the congestion event already answered. But a
        // full limit's worth of drops since then is a new event even if those requests started
        // earlier (every call timing out), so the limit keeps falling to the minimum.
        dropsSinceDecrease++;
        if (!decreased
            || startNanos - lastDecreaseNanos >= 0
            || dropsSinceDecrease >= (int) limit) {
          limit = Math.max(cfg.minLimit(), Math.floor(limit * cfg.backoffRatio));
          lastDecreaseNanos = startNanos + Math.max(0, rttNanos);
          decreased = true;
          dropsSinceDecrease = 0;
        }
      } else if (inFlight * 2 >= (int) limit) {
        limit = Math.min(cfg.maxLimit(), limit + cfg.increase / limit);
      }
      return (int) limit;
    }
  }

  /** Settings for {@link AimdLimit}; not thread-safe, reusable ({@link #build()} copies). */
  public static final class Builder extends BoundsBuilder<Builder> {
    private double backoffRatio = 0.9;
    private double increase = 1;
    private Duration timeout = Duration.ofSeconds(5);

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Factor applied to the limit on a drop, in (0, 1). */
    public Builder backoffRatio(double backoffRatio) {
      this.backoffRatio = backoffRatio;
      return this;
    }

    /** How much the limit grows per round trip of a fully used limit; > 0. */
    public Builder increase(double increase) {
      this.increase = increase;
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
     *     limit outside them, {@code backoffRatio} outside (0, 1), {@code increase} ≤ 0 or a
     *     non-positive timeout
     * @throws NullPointerException if the timeout is null
     */
    public AimdLimit build() {
      checkBounds();
      Checks.openFraction("backoffRatio", backoffRatio);
      Checks.positive("increase", increase);
      Checks.positive("timeout", timeout);
      return new AimdLimit(this);
    }
  }
}
