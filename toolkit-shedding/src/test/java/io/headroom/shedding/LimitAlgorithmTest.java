package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each known failure mode of adaptive limits, fed the samples that trigger it, against every
 * adaptive algorithm.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LimitAlgorithmTest {
  private static final long MS = 1_000_000L;

  static List<Named<Supplier<LimitAlgorithm>>> adaptive() {
    return List.of(
        Named.of("AIMD", () -> AimdLimit.newBuilder().build()),
        Named.of("Vegas", () -> VegasLimit.newBuilder().build()),
        Named.of("Gradient", () -> GradientLimit.newBuilder().build()));
  }

  static List<Named<Supplier<LimitAlgorithm>>> rttBased() {
    return List.of(
        Named.of("Vegas", () -> VegasLimit.newBuilder().build()),
        Named.of("Gradient", () -> GradientLimit.newBuilder().build()));
  }

  /** Feeds samples in simulated time: each sample starts 1ms after the previous one. */
  static final class Feeder {
    final LimitTracker tracker;
    long now;

    Feeder(LimitAlgorithm algorithm) {
      this.tracker = algorithm.newTracker();
    }

    int feed(long rttNanos, int inFlight, boolean dropped) {
      now += MS;
      return tracker.onSample(now, rttNanos, inFlight, dropped);
    }

    /** n samples at the current limit (a saturated client) from a backend of {@code capacity}. */
    void saturatedBackend(int n, int capacity, long baseRtt) {
      for (int i = 0; i < n; i++) {
        int inFlight = tracker.limit();
        long rtt = baseRtt * Math.max(capacity, inFlight) / capacity;
        feed(rtt, inFlight, inFlight > capacity * 2);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("rttBased")
  void singleLuckyFastSampleDoesNotCrushTheLimit(Supplier<LimitAlgorithm> algorithm) {
    Feeder f = new Feeder(algorithm.get());
    f.feed(1_000, 5, false); // the very first sample is a lucky 1µs one
    for (int i = 0; i < 400; i++) {
      f.feed(10 * MS, f.tracker.limit(), false);
    }
    int before = f.tracker.limit();
    assertThat(f.tracker.noLoadRttNanos()).isEqualTo(10 * MS);
    f.feed(1_000, f.tracker.limit(), false); // and one more in the middle of a window
    for (int i = 0; i < 400; i++) {
      f.feed(10 * MS, f.tracker.limit(), false);
    }
    assertThat(f.tracker.noLoadRttNanos()).isEqualTo(10 * MS);
    assertThat(f.tracker.limit()).isGreaterThanOrEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("adaptive")
  void dropsThatReturnInstantlyShrinkTheLimit(Supplier<LimitAlgorithm> algorithm) {
    Feeder f = new Feeder(algorithm.get());
    for (int i = 0; i < 400; i++) {
      f.feed(10 * MS, f.tracker.limit(), false);
    }
    int before = f.tracker.limit();
    long noLoad = f.tracker.noLoadRttNanos();
    for (int i = 0; i < 200; i++) {
      f.feed(0, f.tracker.limit(), true);
    }
    assertThat(f.tracker.limit()).isLessThan(before);
    assertThat(f.tracker.noLoadRttNanos()).isEqualTo(noLoad); // drops never enter the estimate
  }

  @ParameterizedTest
  @MethodSource("adaptive")
  void whenEveryCallTimesOutTheLimitShrinksToItsMinimum(Supplier<LimitAlgorithm> algorithm) {
    LimitAlgorithm a = algorithm.get();
    Feeder dropped = new Feeder(a);
    for (int i = 0; i < 3000; i++) {
      dropped.feed(5_000 * MS, dropped.tracker.limit(), true);
    }
    assertThat(dropped.tracker.limit()).isEqualTo(a.minLimit());

    // Timeouts reported as successes with the timeout as RTT are still recognised.
    Feeder slow = new Feeder(a);
    for (int i = 0; i < 3000; i++) {
      slow.feed(5_000 * MS, slow.tracker.limit(), false);
    }
    assertThat(slow.tracker.limit()).isEqualTo(a.minLimit());
  }

  @ParameterizedTest
  @MethodSource("adaptive")
  void afterOverloadTheLimitRecoversToCapacityWithinBoundedSamples(
      Supplier<LimitAlgorithm> algorithm) {
    LimitAlgorithm a = algorithm.get();
    Feeder f = new Feeder(a);
    f.saturatedBackend(1000, 40, 10 * MS);
    for (int i = 0; i < 3000; i++) {
      f.feed(5_000 * MS, f.tracker.limit(), true); // total outage
    }
    assertThat(f.tracker.limit()).isEqualTo(a.minLimit());
    f.saturatedBackend(3000, 40, 10 * MS);
    assertThat(f.tracker.limit()).isBetween(28, 100);
    // and it stays there
    f.saturatedBackend(3000, 40, 10 * MS);
    assertThat(f.tracker.limit()).isBetween(28, 100);
  }

  @ParameterizedTest
  @MethodSource("rttBased")
  void noLoadRttCannotRatchetUpUnderSustainedLoad(Supplier<LimitAlgorithm> algorithm) {
    Feeder f = new Feeder(algorithm.get());
    for (int i = 0; i < 400; i++) {
      f.feed(10 * MS, 1, false); // light load
    }
    assertThat(f.tracker.noLoadRttNanos()).isEqualTo(10 * MS);
    for (int i = 0; i < 20_000; i++) {
      f.feed(30 * MS, f.tracker.limit(), false); // sustained queueing at whatever the limit is
    }
    assertThat(f.tracker.noLoadRttNanos()).isEqualTo(10 * MS);
    assertThat(f.tracker.limit()).isLessThan(20).isGreaterThan(2);
  }

  @ParameterizedTest
  @MethodSource("rttBased")
  void noLoadRttIsRemeasuredWhenTheBackendIsSlowerAtLightLoad(Supplier<LimitAlgorithm> algorithm) {
    Feeder f = new Feeder(algorithm.get());
    for (int i = 0; i < 400; i++) {
      f.feed(10 * MS, 1, false);
    }
    for (int i = 0; i < 20 * 20 + 20; i++) {
      f.feed(30 * MS, 1, false); // a slower backend, measured without queueing
    }
    assertThat(f.tracker.noLoadRttNanos()).isEqualTo(30 * MS);
  }

  @ParameterizedTest
  @MethodSource("adaptive")
  void limitStaysWithinMinAndMax(Supplier<LimitAlgorithm> algorithm) {
    LimitAlgorithm a = algorithm.get();
    Feeder f = new Feeder(a);
    for (int i = 0; i < 1_000_000; i++) {
      f.feed(10 * MS, f.tracker.limit(), false);
    }
    assertThat(f.tracker.limit()).isEqualTo(a.maxLimit());
  }

  @Test
  void aimdBacksOffOncePerCongestionEpochNotOncePerDrop() {
    LimitTracker t = AimdLimit.newBuilder().initialLimit(100).build().newTracker();
    // 50 requests admitted together at t=0 all time out at t=100ms: one back-off, not 50.
    for (int i = 0; i < 50; i++) {
      t.onSample(0, 100 * MS, 50, true);
    }
    assertThat(t.limit()).isEqualTo(90);
    // a request admitted after that back-off and dropped backs off again
    assertThat(t.onSample(101 * MS, 1 * MS, 40, true)).isEqualTo(81);
  }

  @Test
  void aimdGrowsOnlyWhenAtLeastHalfTheLimitIsUsed() {
    LimitTracker t = AimdLimit.newBuilder().initialLimit(10).build().newTracker();
    for (int i = 0; i < 1000; i++) {
      t.onSample(i * MS, MS, 4, false);
    }
    assertThat(t.limit()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      t.onSample(i * MS, MS, 5, false);
    }
    assertThat(t.limit()).isEqualTo(10); // 10 × 1/10.x < 1
    for (int i = 0; i < 2; i++) {
      t.onSample(i * MS, MS, 5, false);
    }
    assertThat(t.limit()).isEqualTo(11);
  }

  @Test
  void fixedLimitNeverMoves() {
    LimitTracker t = FixedLimit.of(7).newTracker();
    assertThat(t.onSample(0, 0, 7, true)).isEqualTo(7);
    assertThat(t.onSample(0, Duration.ofHours(1).toNanos(), 7, false)).isEqualTo(7);
    assertThat(t.limit()).isEqualTo(7);
    assertThat(t.noLoadRttNanos()).isEqualTo(-1);
  }
}
