package io.headroom.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cache.BreakerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The breaker alone, on a manual ticker: no Redis, no sleeps. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class L2BreakerTest {

  private static final int THRESHOLD = 3;
  private static final long COOL_DOWN = Duration.ofSeconds(1).toNanos();

  private final AtomicLong now = new AtomicLong(5_000_000_000L);
  private final List<String> changes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger probes = new AtomicInteger();
  private final L2Breaker breaker =
      new L2Breaker(THRESHOLD, COOL_DOWN, now::get, (from, to) -> changes.add(from + "->" + to));

  {
    breaker.setProbe(probes::incrementAndGet);
  }

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      breaker.onFailure();
    }
  }

  /** Opens the breaker and starts its probe: HALF_OPEN with one probe in flight. */
  private void halfOpen() {
    fail(THRESHOLD);
    now.addAndGet(COOL_DOWN);
    assertThat(breaker.allowRequest()).isFalse();
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
  }

  @Test
  void closedLetsCallsThroughAndOpensAfterTheConfiguredConsecutiveFailures() {
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.allowRequest()).isTrue();
    fail(THRESHOLD - 1);
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.allowRequest()).isTrue();
    assertThat(changes).isEmpty();

    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker.openings()).isEqualTo(1);
    assertThat(changes).containsExactly("CLOSED->OPEN");
    assertThat(probes).hasValue(0);
  }

  @Test
  void aSuccessResetsTheConsecutiveFailureCount() {
    fail(THRESHOLD - 1);
    breaker.onSuccess();
    fail(THRESHOLD - 1);
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void openRefusesEveryCallAndStartsNoProbeUntilTheCoolDownHasPassed() {
    fail(THRESHOLD);
    for (int i = 0; i < 100; i++) {
      assertThat(breaker.allowRequest()).isFalse();
    }
    now.addAndGet(COOL_DOWN - 1);
    assertThat(breaker.allowRequest()).isFalse();
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    assertThat(probes).hasValue(0);
    assertThat(changes).containsExactly("CLOSED->OPEN");
  }

  @Test
  void theFirstCallAfterTheCoolDownStartsOneProbeAndCallersKeepBypassingWhileItRuns() {
    fail(THRESHOLD);
    now.addAndGet(COOL_DOWN);
    // The caller that starts the probe does not wait for it: it bypasses Redis too.
    assertThat(breaker.allowRequest()).isFalse();
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(probes).hasValue(1);
    for (int i = 0; i < 100; i++) {
      assertThat(breaker.allowRequest()).isFalse();
    }
    now.addAndGet(10 * COOL_DOWN); // a slow probe starts no second one
    assertThat(breaker.allowRequest()).isFalse();
    assertThat(probes).hasValue(1);
    assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
  }

  @Test
  void anOrdinaryCallSucceedingWhileHalfOpenDoesNotCloseIt() {
    halfOpen();
    breaker.onSuccess(); // e.g. a call that was in flight before the breaker opened
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(breaker.allowRequest()).isFalse();
  }

  @Test
  void aFailedProbeReopensForAFullCoolDownCountedFromTheProbesFailure() {
    halfOpen();
    now.addAndGet(Duration.ofMillis(300).toNanos()); // the probe takes a while to fail
    breaker.onProbeResult(false);
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");

    now.addAndGet(COOL_DOWN - 1);
    assertThat(breaker.allowRequest()).isFalse();
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    assertThat(probes).hasValue(1);

    now.addAndGet(1);
    assertThat(breaker.allowRequest()).isFalse();
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(probes).hasValue(2);
    // openings counts outages (CLOSED -> OPEN), not each re-opening after a failed probe.
    assertThat(breaker.openings()).isEqualTo(1);
  }

  @Test
  void aSuccessfulProbeClosesTheBreakerWithAFreshFailureCount() {
    halfOpen();
    breaker.onProbeResult(true);
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.allowRequest()).isTrue();
    assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");

    fail(THRESHOLD - 1); // the failures before the outage do not count towards the next one
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker.openings()).isEqualTo(2);
  }

  @Test
  void aProbeThatReportsBeforeReturningLeavesTheBreakerInItsOutcome() {
    // RedisTier's probe reports failure synchronously when the command cannot even be sent.
    breaker.setProbe(() -> breaker.onProbeResult(false));
    fail(THRESHOLD);
    now.addAndGet(COOL_DOWN);
    assertThat(breaker.allowRequest()).isFalse();
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);

    breaker.setProbe(() -> breaker.onProbeResult(true));
    now.addAndGet(COOL_DOWN);
    assertThat(breaker.allowRequest()).isFalse(); // this caller had already been told to bypass
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.allowRequest()).isTrue();
    assertThat(changes)
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void manyCallersAfterTheCoolDownStartExactlyOneProbe() throws Exception {
    fail(THRESHOLD);
    now.addAndGet(COOL_DOWN);
    int threads = 8;
    int callsEach = 10_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> allowed = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        allowed.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  int n = 0;
                  for (int i = 0; i < callsEach; i++) {
                    if (breaker.allowRequest()) {
                      n++;
                    }
                  }
                  return n;
                }));
      }
      for (Future<Integer> f : allowed) {
        assertThat(f.get(20, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(probes).hasValue(1);
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
  }
}
