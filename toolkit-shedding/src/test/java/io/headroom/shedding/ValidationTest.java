package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad configuration fails at build() naming the setting and the value. */
class ValidationTest {

  @Test
  void fractionsOutsideZeroToOneAreRejected() {
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().fraction(Priority.LOW, 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fraction(LOW): 0.0 (expected: in (0, 1])");
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().fraction(Priority.HIGH, 1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fraction(HIGH): 1.5 (expected: in (0, 1])");
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().fraction(Priority.NORMAL, Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fraction(NORMAL): NaN");
  }

  @Test
  void minAboveMaxAndInitialOutsideAreRejectedForEveryAlgorithm() {
    assertThatThrownBy(() -> AimdLimit.newBuilder().minLimit(10).maxLimit(5).initialLimit(7).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minLimit: 10 (expected: <= maxLimit 5)");
    assertThatThrownBy(() -> VegasLimit.newBuilder().minLimit(10).maxLimit(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minLimit: 10 (expected: <= maxLimit 5)");
    assertThatThrownBy(() -> GradientLimit.newBuilder().initialLimit(5000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialLimit: 5000 (expected: in [2, 1000])");
    assertThatThrownBy(() -> AimdLimit.newBuilder().minLimit(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minLimit: 0 (expected: > 0)");
    assertThatThrownBy(() -> FixedLimit.of(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: 0 (expected: > 0)");
  }

  @Test
  void fixedLimitBuilderChecksTheLimitAtBuildNotInTheSetter() {
    FixedLimit.Builder zero = FixedLimit.newBuilder().limit(0); // the setter accepts it
    assertThatThrownBy(zero::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: 0 (expected: > 0)");
    assertThatThrownBy(() -> FixedLimit.newBuilder().limit(-3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: -3 (expected: > 0)");
    assertThatThrownBy(() -> FixedLimit.newBuilder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: not set (expected: > 0)");
    assertThat(zero.limit(1).build().initialLimit()).isEqualTo(1); // a corrected builder builds
  }

  @Test
  void fixedLimitBuilderBuildsWhatTheShortcutBuildsAndCopiesItsSettings() {
    FixedLimit.Builder builder = FixedLimit.newBuilder().limit(12);
    FixedLimit built = builder.build();
    builder.limit(99);
    FixedLimit shortcut = FixedLimit.of(12);
    for (FixedLimit limit : List.of(built, shortcut)) {
      assertThat(limit.minLimit()).isEqualTo(12);
      assertThat(limit.initialLimit()).isEqualTo(12);
      assertThat(limit.maxLimit()).isEqualTo(12);
      assertThat(limit.newTracker().onSample(0, 1, 12, true)).isEqualTo(12);
    }
    assertThat(builder.build().maxLimit()).isEqualTo(99);
    AdaptiveLimiter limiter = AdaptiveLimiter.newBuilder().limit(built).build();
    assertThat(limiter.limit()).isEqualTo(12);
  }

  /** Each limit algorithm has a builder whose build() rejects a non-positive limit by name. */
  static List<Named<Supplier<LimitAlgorithm>>> badLimitBuilds() {
    return List.of(
        Named.of("AIMD", () -> AimdLimit.newBuilder().minLimit(0).build()),
        Named.of("Vegas", () -> VegasLimit.newBuilder().minLimit(0).build()),
        Named.of("Gradient", () -> GradientLimit.newBuilder().minLimit(0).build()),
        Named.of("Fixed", () -> FixedLimit.newBuilder().limit(0).build()));
  }

  @ParameterizedTest
  @MethodSource("badLimitBuilds")
  void everyLimitAlgorithmBuilderRejectsANonPositiveLimitAtBuild(Supplier<LimitAlgorithm> build) {
    assertThatThrownBy(build::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(minLimit|limit): 0 \\(expected: > 0\\)");
  }

  @Test
  void nonPositiveWindowsAreRejected() {
    assertThatThrownBy(() -> VegasLimit.newBuilder().window(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: 0 (expected: > 0)");
    assertThatThrownBy(() -> GradientLimit.newBuilder().longWindow(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("longWindow: -1 (expected: > 0)");
    assertThatThrownBy(() -> GradientLimit.newBuilder().history(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("history: 0 (expected: > 0)");
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().queueInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueInterval: PT0S (expected: > 0)");
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().queueTargetDelay(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueTargetDelay: PT-0.001S (expected: > 0)");
    assertThatThrownBy(() -> AdaptiveThrottle.newBuilder().window(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: PT0S (expected: > 0)");
    assertThatThrownBy(() -> AdaptiveThrottle.newBuilder().buckets(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buckets: 0 (expected: > 0)");
  }

  @Test
  void algorithmSpecificSettingsAreChecked() {
    assertThatThrownBy(() -> AimdLimit.newBuilder().backoffRatio(1.0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoffRatio: 1.0 (expected: in (0, 1))");
    assertThatThrownBy(() -> AimdLimit.newBuilder().timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> VegasLimit.newBuilder().alpha(6).beta(3).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("beta: 3.0 (expected: > alpha 6.0)");
    assertThatThrownBy(() -> VegasLimit.newBuilder().alpha(4).beta(4).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("beta: 4.0 (expected: > alpha 4.0)");
    assertThatThrownBy(() -> GradientLimit.newBuilder().tolerance(0.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tolerance: 0.5 (expected: >= 1)");
    assertThatThrownBy(() -> GradientLimit.newBuilder().smoothing(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("smoothing: 0.0 (expected: in (0, 1])");
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().maxQueueDepth(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxQueueDepth: 0 (expected: > 0)");
    assertThatThrownBy(() -> AdaptiveThrottle.newBuilder().k(0.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k: 0.5 (expected: >= 1)");
  }

  @Test
  void nullsAreRejectedNamingTheArgument() {
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().limit(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("algorithm");
    assertThatThrownBy(() -> AdaptiveLimiter.newBuilder().ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker");
    assertThatThrownBy(() -> AimdLimit.newBuilder().timeout(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
  }

  @Test
  void reusingABuilderDoesNotChangeWhatItBuilt() {
    AdaptiveLimiter.Builder b =
        AdaptiveLimiter.newBuilder().limit(FixedLimit.of(10)).fraction(Priority.LOW, 0.2);
    AdaptiveLimiter first = b.build();
    b.fraction(Priority.LOW, 1.0).limit(FixedLimit.of(50));
    AdaptiveLimiter second = b.build();
    assertThat(first.fraction(Priority.LOW)).isEqualTo(0.2);
    assertThat(first.limit()).isEqualTo(10);
    assertThat(second.fraction(Priority.LOW)).isEqualTo(1.0);
    assertThat(second.limit()).isEqualTo(50);

    AimdLimit.Builder ab = AimdLimit.newBuilder().initialLimit(30);
    AimdLimit a1 = ab.build();
    ab.initialLimit(40);
    assertThat(a1.initialLimit()).isEqualTo(30);
    // two limiters built from one algorithm do not share state
    AdaptiveLimiter l1 = AdaptiveLimiter.newBuilder().limit(a1).build();
    AdaptiveLimiter l2 = AdaptiveLimiter.newBuilder().limit(a1).build();
    l1.tryAcquire(Priority.CRITICAL).dropped();
    assertThat(l1.limit()).isEqualTo(27);
    assertThat(l2.limit()).isEqualTo(30);
  }
}
