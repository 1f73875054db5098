package io.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TieredCacheBuilderTest {

  private static void rejects(Consumer<TieredCacheBuilder<String, String>> setting, Class<? extends Throwable> type, String message) {
    TieredCacheBuilder<String, String> b = TieredCache.builder("c");
    setting.accept(b);
    assertThatThrownBy(b::build).isInstanceOf(type).hasMessage(message);
  }

  @Test
  void invalidValuesFailAtBuildNamingTheSettingAndValue() {
    rejects(b -> b.maximumSize(-1 - 1), IllegalArgumentException.class, "maximumSize: -2 (expected: >= 0)");
    rejects(b -> b.maximumWeight(-5).weigher((k, v) -> 1), IllegalArgumentException.class, "maximumWeight: -5 (expected: >= 0)");
    rejects(b -> b.l1ExpireAfterWrite(Duration.ZERO), IllegalArgumentException.class, "l1ExpireAfterWrite: PT0S (expected: > 0)");
    rejects(b -> b.l2ExpireAfterWrite(Duration.ofSeconds(-1)), IllegalArgumentException.class, "l2ExpireAfterWrite: PT-1S (expected: > 0)");
    rejects(b -> b.l2TtlJitter(1.0), IllegalArgumentException.class, "l2TtlJitter: 1.0 (expected: in [0, 1))");
    rejects(b -> b.l2TtlJitter(-0.1), IllegalArgumentException.class, "l2TtlJitter: -0.1 (expected: in [0, 1))");
    rejects(b -> b.l2TtlJitter(Double.NaN), IllegalArgumentException.class, "l2TtlJitter: NaN (expected: in [0, 1))");
    rejects(b -> b.negativeTtl(Duration.ZERO), IllegalArgumentException.class, "negativeTtl: PT0S (expected: > 0)");
    rejects(b -> b.redisTimeout(Duration.ZERO), IllegalArgumentException.class, "redisTimeout: PT0S (expected: > 0)");
    rejects(b -> b.breakerFailureThreshold(0), IllegalArgumentException.class, "breakerFailureThreshold: 0 (expected: > 0)");
    rejects(b -> b.maximumValueBytes(0), IllegalArgumentException.class, "maximumValueBytes: 0 (expected: > 0)");
    rejects(b -> b.staleIfError(Duration.ofMillis(-1)), IllegalArgumentException.class, "staleIfError: PT-0.001S (expected: > 0)");
    rejects(b -> b.l1TtlWhileDisconnected(Duration.ZERO), IllegalArgumentException.class, "l1TtlWhileDisconnected: PT0S (expected: > 0)");
    assertThatThrownBy(() -> TieredCache.<String, String>builder("").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name: \"\" (expected: not empty)");
  }

  @Test
  void minusOneIsRejectedNotMistakenForUnset() {
    // -1 used to be the builder's internal "not set": maximumSize(-1) built with the default and
    // maximumWeight(-1).weigher(..) failed as if no weight had been set.
    rejects(b -> b.maximumSize(-1), IllegalArgumentException.class, "maximumSize: -1 (expected: >= 0)");
    rejects(b -> b.maximumWeight(-1).weigher((k, v) -> 1), IllegalArgumentException.class,
        "maximumWeight: -1 (expected: >= 0)");
    rejects(b -> b.maximumWeight(-1), IllegalArgumentException.class, "maximumWeight: -1 (expected: >= 0)");
    rejects(b -> b.maximumSize(Long.MIN_VALUE), IllegalArgumentException.class,
        "maximumSize: -9223372036854775808 (expected: >= 0)");
    rejects(b -> b.breakerFailureThreshold(-1), IllegalArgumentException.class, "breakerFailureThreshold: -1 (expected: > 0)");
    rejects(b -> b.maximumValueBytes(-1), IllegalArgumentException.class, "maximumValueBytes: -1 (expected: > 0)");
  }

  @Test
  void aBadValueIsReportedEvenWhenItAlsoConflicts() {
    rejects(b -> b.maximumSize(-1).maximumWeight(10).weigher((k, v) -> 1), IllegalArgumentException.class,
        "maximumSize: -1 (expected: >= 0)");
  }

  @Test
  void zeroAndNegativeBreakerCoolDownTombstoneTtlAndRefreshAfterAreRejected() {
    rejects(b -> b.breakerCoolDown(Duration.ZERO), IllegalArgumentException.class, "breakerCoolDown: PT0S (expected: > 0)");
    rejects(b -> b.breakerCoolDown(Duration.ofSeconds(-1)), IllegalArgumentException.class,
        "breakerCoolDown: PT-1S (expected: > 0)");
    rejects(b -> b.tombstoneTtl(Duration.ZERO), IllegalArgumentException.class, "tombstoneTtl: PT0S (expected: > 0)");
    rejects(b -> b.tombstoneTtl(Duration.ofMillis(-1)), IllegalArgumentException.class,
        "tombstoneTtl: PT-0.001S (expected: > 0)");
    rejects(b -> b.refreshAfter(Duration.ZERO), IllegalArgumentException.class, "refreshAfter: PT0S (expected: > 0)");
    rejects(b -> b.refreshAfter(Duration.ofSeconds(-1)), IllegalArgumentException.class, "refreshAfter: PT-1S (expected: > 0)");
  }

  @Test
  void aTombstoneTtlUnderOneMillisecondIsRejectedBecauseRedisExpiriesAreInMilliseconds() {
    rejects(b -> b.tombstoneTtl(Duration.ofNanos(999_999)), IllegalArgumentException.class,
        "tombstoneTtl: PT0.000999999S (expected: >= PT0.001S)");
    TieredCache.<String, String>builder("c").tombstoneTtl(Duration.ofMillis(1)).build().close();
  }

  @Test
  void aDurationTooLongForNanosecondsIsRejectedNamingTheSetting() {
    Duration tooLong = Duration.ofNanos(Long.MAX_VALUE).plusNanos(1);
    String expected = " (expected: <= PT2562047H47M16.854775807S)";
    rejects(b -> b.l1ExpireAfterWrite(tooLong), IllegalArgumentException.class, "l1ExpireAfterWrite: " + tooLong + expected);
    rejects(b -> b.l2ExpireAfterWrite(Duration.ofSeconds(Long.MAX_VALUE)), IllegalArgumentException.class,
        "l2ExpireAfterWrite: " + Duration.ofSeconds(Long.MAX_VALUE) + expected);
    rejects(b -> b.tombstoneTtl(tooLong), IllegalArgumentException.class, "tombstoneTtl: " + tooLong + expected);
    TieredCache.<String, String>builder("c").l1ExpireAfterWrite(Duration.ofNanos(Long.MAX_VALUE)).build().close();
  }

  @Test
  void conflictingOrMissingSettingsFailWithIllegalState() {
    rejects(b -> b.maximumSize(10).maximumWeight(10).weigher((k, v) -> 1), IllegalStateException.class,
        "maximumSize and maximumWeight are both set (expected: one)");
    rejects(b -> b.maximumWeight(10), IllegalStateException.class, "maximumWeight is set without a weigher");
    rejects(b -> b.weigher((k, v) -> 1), IllegalStateException.class, "weigher is set without maximumWeight");
    rejects(b -> b.l1ExpireAfterWrite(Duration.ofSeconds(5)).refreshAfter(Duration.ofSeconds(5)), IllegalStateException.class,
        "refreshAfter PT5S is not shorter than l1ExpireAfterWrite PT5S");
    rejects(b -> b.redisUri("redis://127.0.0.1:1").valueCodec(ValueCodec.utf8()), IllegalStateException.class,
        "keyCodec is required in two-tier mode");
    rejects(b -> b.redisUri("redis://127.0.0.1:1").keyCodec(KeyCodec.string()), IllegalStateException.class,
        "valueCodec is required in two-tier mode");
    rejects(b -> b.redisUri("redis://127.0.0.1:1").redisClusterUri("redis://127.0.0.1:2"), IllegalStateException.class,
        "more than one Redis setting (redis, redisCluster, redisUri, redisClusterUri)");
  }

  @Test
  void nullSettingsAreRejectedNamingTheArgument() {
    TieredCacheBuilder<String, String> b = TieredCache.builder("c");
    assertThatThrownBy(() -> b.l1ExpireAfterWrite(null)).isInstanceOf(NullPointerException.class).hasMessage("ttl");
    assertThatThrownBy(() -> b.keyCodec(null)).isInstanceOf(NullPointerException.class).hasMessage("keyCodec");
    assertThatThrownBy(() -> b.executor(null)).isInstanceOf(NullPointerException.class).hasMessage("executor");
    assertThatThrownBy(() -> TieredCache.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
  }

  @Test
  void buildCopiesTheSettings() {
    TieredCacheBuilder<String, String> b = TieredCache.<String, String>builder("copy").maximumSize(5);
    try (TieredCache<String, String> first = b.build()) {
      b.maximumSize(50);
      try (TieredCache<String, String> second = b.build()) {
        assertThat(first.stats().l1Capacity()).isEqualTo(5);
        assertThat(second.stats().l1Capacity()).isEqualTo(50);
      }
    }
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    try (TieredCache<String, String> cache = TieredCache.<String, String>builder("defaults").build()) {
      assertThat(cache.name()).isEqualTo("defaults");
      assertThat(cache.stats().l1Capacity()).isEqualTo(10_000);
      assertThat(cache.stats().breakerState()).isEqualTo(BreakerState.CLOSED);
    }
  }
}
