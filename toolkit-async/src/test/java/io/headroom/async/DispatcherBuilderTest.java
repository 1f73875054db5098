package io.headroom.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class DispatcherBuilderTest {

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of((Consumer<Dispatcher.Builder>) b -> b.workers(0), "workers: 0 (expected: > 0)"),
        Arguments.of((Consumer<Dispatcher.Builder>) b -> b.capacity(0), "capacity: 0 (expected: > 0)"),
        Arguments.of((Consumer<Dispatcher.Builder>) b -> b.capacity(-3), "capacity: -3 (expected: > 0)"),
        Arguments.of((Consumer<Dispatcher.Builder>) b -> b.maxAttempts(0), "maxAttempts: 0 (expected: > 0)"),
        Arguments.of(
            (Consumer<Dispatcher.Builder>) b -> b.laneWeight(Lane.URGENT, 0),
            "laneWeight(URGENT): 0 (expected: > 0)"),
        Arguments.of(
            (Consumer<Dispatcher.Builder>) b -> b.retryBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1)),
            "retryBackoff initial: PT-0.001S (expected: > 0)"),
        Arguments.of(
            (Consumer<Dispatcher.Builder>) b -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)),
            "retryBackoff max: PT1S (expected: >= initial PT2S)"),
        Arguments.of((Consumer<Dispatcher.Builder>) b -> b.retryJitter(1.5), "retryJitter: 1.5 (expected: in [0, 1])"),
        Arguments.of((Consumer<Dispatcher.Builder>) b -> b.name(" "), "name: \" \" (expected: not blank)"));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void badSettingFailsAtBuildNamingSettingAndValue(Consumer<Dispatcher.Builder> setting, String message) {
    Dispatcher.Builder builder = Dispatcher.newBuilder();
    setting.accept(builder);
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void badIdleStrategyFailsNamingTheSetting() {
    assertThatThrownBy(() -> IdleStrategy.backoff(-1, 0, Duration.ofNanos(1), Duration.ofNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spins: -1 (expected: >= 0)");
    assertThatThrownBy(() -> IdleStrategy.backoff(1, 1, Duration.ZERO, Duration.ofNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minPark: PT0S (expected: > 0)");
    assertThatThrownBy(() -> IdleStrategy.backoff(1, 1, Duration.ofMillis(2), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPark: PT0.001S (expected: >= minPark PT0.002S)");
  }

  @Test
  void nullsAreRejectedNamingTheArgument() throws Exception {
    Dispatcher d = Dispatcher.newBuilder().workers(1).build();
    try {
      assertThatThrownBy(() -> d.submit(null)).isInstanceOf(NullPointerException.class).hasMessage("job");
      assertThatThrownBy(() -> d.submit(Lane.URGENT, null)).isInstanceOf(NullPointerException.class).hasMessage("job");
      assertThatThrownBy(() -> d.submit(null, () -> {})).isInstanceOf(NullPointerException.class).hasMessage("lane");
      assertThatThrownBy(() -> d.execute(null)).isInstanceOf(NullPointerException.class).hasMessage("command");
      assertThatThrownBy(() -> d.submitForResult(null)).isInstanceOf(NullPointerException.class).hasMessage("callable");
      assertThatThrownBy(() -> d.schedule(null, Duration.ZERO)).isInstanceOf(NullPointerException.class).hasMessage("job");
      assertThatThrownBy(() -> Dispatcher.newBuilder().threadFactory(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("threadFactory");
      assertThat(d.stats().submitted()).isZero();
    } finally {
      d.shutdownNow();
      assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void negativeDelaysAndWaitsAreRejected() throws Exception {
    Dispatcher d = Dispatcher.newBuilder().workers(1).build();
    try {
      assertThatThrownBy(() -> d.schedule(() -> {}, Duration.ofMillis(-5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay: PT-0.005S (expected: >= 0)");
      assertThatThrownBy(() -> d.submit(() -> {}, Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxWait: PT-0.001S (expected: >= 0)");
      assertThatThrownBy(() -> d.shutdown(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("timeout: PT-0.001S (expected: >= 0)");
    } finally {
      d.shutdownNow();
      assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void actualCapacityIsReportedRoundedUpToAPowerOfTwoPerWorker() throws Exception {
    Dispatcher d = Dispatcher.newBuilder().workers(2).capacity(1000).build();
    try {
      assertThat(d.capacity(Lane.BACKGROUND)).isEqualTo(1024);
      assertThat(d.capacity(Lane.URGENT)).isEqualTo(1024);
      assertThat(d.stats().capacity(Lane.BACKGROUND)).isEqualTo(1024);
    } finally {
      d.shutdownNow();
      assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
    Dispatcher tiny = Dispatcher.newBuilder().workers(3).capacity(1).build();
    try {
      assertThat(tiny.capacity(Lane.BACKGROUND)).isEqualTo(6); // JCTools' minimum of 2 per queue
    } finally {
      tiny.shutdownNow();
      assertThat(tiny.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void reusingTheBuilderDoesNotChangeABuiltDispatcher() throws Exception {
    Dispatcher.Builder builder = Dispatcher.newBuilder().name("first").workers(1).capacity(4);
    Dispatcher d = builder.build();
    builder.name("second").workers(3).capacity(64);
    try {
      assertThat(d.name()).isEqualTo("first");
      assertThat(d.workers()).isEqualTo(1);
      assertThat(d.capacity(Lane.BACKGROUND)).isEqualTo(4);
    } finally {
      d.shutdownNow();
      assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void defaultThreadsAreNamedAfterTheDispatcher() throws Exception {
    Dispatcher d = Dispatcher.newBuilder().name("mail").workers(2).maxAttempts(2)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();
    List<String> names = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(2);
    try {
      // A job that fails once: its first attempt and its retry both run on a worker.
      boolean[] failedOnce = {false};
      d.submit(() -> {
        names.add(Thread.currentThread().getName());
        ran.countDown();
        synchronized (failedOnce) {
          if (!failedOnce[0]) {
            failedOnce[0] = true;
            throw new IllegalStateException("first attempt");
          }
        }
      });
      assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(names).allSatisfy(n -> assertThat(n).matches("headroom-async-mail-[12]"));
    } finally {
      d.shutdownNow();
      assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
  }
}
