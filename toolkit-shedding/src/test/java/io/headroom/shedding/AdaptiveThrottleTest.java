package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdaptiveThrottleTest {
  private final AtomicLong clock = new AtomicLong();
  private double nextRandom = 0.5;

  private AdaptiveThrottle throttle(double k) {
    return AdaptiveThrottle.newBuilder()
        .k(k)
        .window(Duration.ofSeconds(10))
        .buckets(10)
        .ticker(clock::get)
        .random(() -> nextRandom)
        .build();
  }

  @Test
  void neverRejectsWhileTheBackendAcceptsEverything() {
    AdaptiveThrottle t = throttle(2);
    for (int i = 0; i < 1000; i++) {
      assertThat(t.tryRequest()).isTrue();
      t.onAccepted();
    }
    assertThat(t.rejectProbability()).isZero();
    assertThat(t.requests()).isEqualTo(1000);
    assertThat(t.accepts()).isEqualTo(1000);
  }

  @Test
  void rejectProbabilityFollowsTheSreBookFormula() {
    AdaptiveThrottle t = throttle(2);
    // 100 requests, 20 accepted: p = (100 - 2 × 20) / (100 + 1) = 60 / 101
    for (int i = 0; i < 100; i++) {
      nextRandom = 0.999; // always above p: sent
      assertThat(t.tryRequest()).isTrue();
      if (i < 20) {
        t.onAccepted();
      }
    }
    assertThat(t.rejectProbability()).isCloseTo(60.0 / 101, within(1e-12));
    nextRandom = 60.0 / 101 - 1e-9; // below p: rejected locally
    assertThat(t.tryRequest()).isFalse();
    // locally rejected requests count: p is now (101 - 40) / 102
    assertThat(t.rejectProbability()).isCloseTo(61.0 / 102, within(1e-12));
    nextRandom = 61.0 / 102 + 1e-9;
    assertThat(t.tryRequest()).isTrue();
    assertThat(t.requests()).isEqualTo(102);
    assertThat(t.rejectProbability()).isCloseTo(62.0 / 103, within(1e-12));
  }

  @Test
  void largerKToleratesMoreRefusals() {
    AdaptiveThrottle t = throttle(5);
    for (int i = 0; i < 100; i++) {
      t.tryRequest();
      if (i < 20) {
        t.onAccepted();
      }
    }
    assertThat(t.rejectProbability()).isZero(); // 100 - 5 × 20 = 0
  }

  @Test
  void oldCountsLeaveTheSlidingWindow() {
    AdaptiveThrottle t = throttle(2);
    for (int i = 0; i < 100; i++) {
      t.tryRequest(); // none accepted: backend down
    }
    assertThat(t.rejectProbability()).isCloseTo(100.0 / 101, within(1e-12));
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(t.requests()).isEqualTo(100);
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(t.requests()).isZero(); // a full window later
    assertThat(t.rejectProbability()).isZero();
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void countsEveryCallExactlyUnderContentionWithinABucket() throws Exception {
    // Racing threads see requests counted before their accepts, so the rejection probability is
    // briefly above 0; with a fixed draw of 0.5 that once locked every thread out (a rejected
    // request counts but is never accepted). The largest draw below 1 sends every request (p stays
    // below 1 - 1/(requests + 1)), so both counts must come out exact.
    nextRandom = Math.nextDown(1.0);
    AdaptiveThrottle t = throttle(2); // the fake clock does not move: one bucket
    int threads = 8;
    int calls = 20_000;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.List<Thread> workers = new java.util.ArrayList<>();
    java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
    for (int n = 0; n < threads; n++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < calls; i++) {
                  if (t.tryRequest()) {
                    sent.increment();
                    t.onAccepted();
                  }
                }
              });
      workers.add(w);
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(20_000);
      assertThat(w.isAlive()).isFalse();
    }
    assertThat(t.requests()).isEqualTo((long) threads * calls);
    assertThat(sent.sum()).isEqualTo((long) threads * calls);
    assertThat(t.accepts()).isEqualTo((long) threads * calls);
    assertThat(t.rejectProbability()).isZero();
  }
}
