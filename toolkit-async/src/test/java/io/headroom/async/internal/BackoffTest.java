package io.headroom.async.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromInitialUpToMaxWithoutJitter() {
    Backoff b = new Backoff(100, 1_000, 0);
    assertThat(b.delayNanos(1, 0.9)).isEqualTo(100);
    assertThat(b.delayNanos(2, 0.9)).isEqualTo(200);
    assertThat(b.delayNanos(3, 0.9)).isEqualTo(400);
    assertThat(b.delayNanos(4, 0.9)).isEqualTo(800);
    assertThat(b.delayNanos(5, 0.9)).isEqualTo(1_000);
    assertThat(b.delayNanos(1_000, 0.9)).isEqualTo(1_000);
  }

  @Test
  void jitterShortensByAtMostItsFraction() {
    Backoff b = new Backoff(1_000, 1_000_000, 0.5);
    assertThat(b.delayNanos(1, 0.0)).isEqualTo(1_000);
    assertThat(b.delayNanos(1, 0.5)).isEqualTo(750);
    assertThat(b.delayNanos(1, 0.999_999)).isEqualTo(501);
    assertThat(b.delayNanos(2, 0.5)).isEqualTo(1_500);
  }

  @Test
  void hugeAttemptCountsDoNotOverflow() {
    Backoff b = new Backoff(Long.MAX_VALUE / 4, Long.MAX_VALUE, 0);
    assertThat(b.delayNanos(10, 0)).isEqualTo(Long.MAX_VALUE);
  }
}
