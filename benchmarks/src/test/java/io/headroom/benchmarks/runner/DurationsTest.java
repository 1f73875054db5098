package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesMillisSecondsAndMinutes() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse(" 3M ")).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void formatsForProgressLines() {
    assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
    assertThat(Durations.format(Duration.ofMillis(12_400))).isEqualTo("12s");
    assertThat(Durations.format(Duration.ofSeconds(185))).isEqualTo("3m05s");
    assertThat(Durations.format(Duration.ofSeconds(3720))).isEqualTo("1h02m");
    assertThat(Durations.format(Duration.ofMillis(-5))).isEqualTo("0ms");
  }
}
