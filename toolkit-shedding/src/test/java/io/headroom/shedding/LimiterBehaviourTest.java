package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.shedding.snippets.AimdPriorityLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviour every AIMD priority limiter must have, run against {@link AdaptiveLimiter} and the
 * copy-in snippet {@link AimdPriorityLimiter}. Each factory builds a limiter with min 2, max
 * 1000, backoff 0.9, default fractions, the given initial limit, and a clock that never moves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimiterBehaviourTest {

  static List<Named<IntFunction<Limiter>>> aimdLimiters() {
    return List.of(
        Named.of(
            "AdaptiveLimiter",
            initial ->
                AdaptiveLimiter.newBuilder()
                    .limit(AimdLimit.newBuilder().minLimit(2).maxLimit(1000).initialLimit(initial).build())
                    .ticker(() -> 0L)
                    .build()),
        Named.of(
            "AimdPriorityLimiter snippet",
            initial ->
                new SnippetLimiter(
                    new AimdPriorityLimiter(
                        2, 1000, initial, 0.9, new double[] {1.0, 0.9, 0.75, 0.5}, () -> 0L))));
  }

  /** Limiters whose limit never moves (min = max = 16), for exact in-flight bounds. */
  static List<Named<IntFunction<Limiter>>> fixedLimiters() {
    return List.of(
        Named.of(
            "AdaptiveLimiter(fixed)",
            limit -> AdaptiveLimiter.newBuilder().limit(FixedLimit.of(limit)).build()),
        Named.of(
            "AdaptiveLimiter(AIMD min=max)",
            limit ->
                AdaptiveLimiter.newBuilder()
                    .limit(AimdLimit.newBuilder().minLimit(limit).maxLimit(limit).initialLimit(limit).build())
                    .build()),
        Named.of(
            "AimdPriorityLimiter snippet(min=max)",
            limit ->
                new SnippetLimiter(
                    new AimdPriorityLimiter(
                        limit, limit, limit, 0.9, new double[] {1.0, 0.9, 0.75, 0.5}, System::nanoTime))));
  }

  private static int admitAll(Limiter limiter, Priority priority, List<Permit> held) {
    int n = 0;
    for (Permit p = limiter.tryAcquire(priority); p != null; p = limiter.tryAcquire(priority)) {
      held.add(p);
      n++;
    }
    return n;
  }

  @ParameterizedTest
  @MethodSource("aimdLimiters")
  void eachPriorityIsAdmittedUpToItsShareOfTheLimit(IntFunction<Limiter> factory) {
    Limiter limiter = factory.apply(20);
    List<Permit> held = new ArrayList<>();
    // LOW while inFlight < floor(20 × 0.5) = 10, NORMAL < 15, HIGH < 18, CRITICAL < 20.
    assertThat(admitAll(limiter, Priority.LOW, held)).isEqualTo(10);
    assertThat(admitAll(limiter, Priority.NORMAL, held)).isEqualTo(5);
    assertThat(admitAll(limiter, Priority.LOW, held)).isZero();
    assertThat(admitAll(limiter, Priority.HIGH, held)).isEqualTo(3);
    assertThat(admitAll(limiter, Priority.CRITICAL, held)).isEqualTo(2);
    assertThat(limiter.inFlight()).isEqualTo(20);
    held.remove(0).ignore();
    assertThat(limiter.tryAcquire(Priority.HIGH)).isNull();
    assertThat(limiter.tryAcquire(Priority.CRITICAL)).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("aimdLimiters")
  void anyPriorityIsAdmittedWhenNothingIsInFlight(IntFunction<Limiter> factory) {
    Limiter limiter = factory.apply(2); // LOW's share: floor(2 × 0.5) = 1
    Permit low = limiter.tryAcquire(Priority.LOW);
    assertThat(low).isNotNull();
    assertThat(limiter.tryAcquire(Priority.LOW)).isNull();
    assertThat(limiter.tryAcquire(Priority.CRITICAL)).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("aimdLimiters")
  void completingAPermitTwiceIsANoOp(IntFunction<Limiter> factory) {
    Limiter limiter = factory.apply(20);
    Permit p = limiter.tryAcquire(Priority.NORMAL);
    assertThat(p).isNotNull();
    p.dropped();
    assertThat(limiter.limit()).isEqualTo(18);
    p.dropped();
    p.success();
    p.ignore();
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isEqualTo(18);
  }

  @ParameterizedTest
  @MethodSource("aimdLimiters")
  void ignoredPermitsDoNotMoveTheLimit(IntFunction<Limiter> factory) {
    Limiter limiter = factory.apply(20);
    for (int round = 0; round < 50; round++) {
      List<Permit> held = new ArrayList<>();
      admitAll(limiter, Priority.CRITICAL, held);
      held.forEach(Permit::ignore);
    }
    assertThat(limiter.limit()).isEqualTo(20);
    assertThat(limiter.inFlight()).isZero();
  }

  @ParameterizedTest
  @MethodSource("aimdLimiters")
  void successesAtFullUseGrowTheLimitAndDropsShrinkIt(IntFunction<Limiter> factory) {
    Limiter limiter = factory.apply(20);
    for (int round = 0; round < 20; round++) {
      List<Permit> held = new ArrayList<>();
      admitAll(limiter, Priority.CRITICAL, held);
      held.forEach(Permit::success);
    }
    int grown = limiter.limit();
    assertThat(grown).isGreaterThan(25);
    Permit p = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(p).isNotNull();
    p.dropped(); // the first drop always backs off
    assertThat(limiter.limit()).isEqualTo((int) Math.floor(grown * 0.9));
  }

  @ParameterizedTest
  @MethodSource("aimdLimiters")
  void instantDropsShrinkTheLimitToItsMinimumWhenEverythingFails(IntFunction<Limiter> factory) {
    Limiter limiter = factory.apply(50);
    for (int i = 0; i < 2000; i++) {
      Permit p = limiter.tryAcquire(Priority.CRITICAL);
      assertThat(p).isNotNull();
      p.dropped();
    }
    assertThat(limiter.limit()).isEqualTo(2);
    // and it recovers once calls succeed again at full use
    for (int round = 0; round < 200; round++) {
      List<Permit> held = new ArrayList<>();
      admitAll(limiter, Priority.CRITICAL, held);
      held.forEach(Permit::success);
    }
    assertThat(limiter.limit()).isGreaterThan(20);
  }

  @ParameterizedTest
  @MethodSource("fixedLimiters")
  void manyThreadsNeverPushInFlightBelowZeroOrAboveTheLimit(IntFunction<Limiter> factory)
      throws Exception {
    int limit = 16;
    Limiter limiter = factory.apply(limit);
    int threads = 8;
    int iterations = 20_000;
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> violation = new AtomicReference<>();
    AtomicLong admitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicInteger held = new AtomicInteger();
    Thread checker =
        new Thread(
            () -> {
              while (!done.get()) {
                int n = limiter.inFlight();
                if (n < 0 || n > limit) {
                  violation.compareAndSet(null, "inFlight " + n);
                }
              }
            });
    checker.start();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                ThreadLocalRandom r = ThreadLocalRandom.current();
                Priority[] ps = Priority.values();
                for (int i = 0; i < iterations; i++) {
                  Permit p = limiter.tryAcquire(ps[r.nextInt(ps.length)]);
                  if (p == null) {
                    refused.incrementAndGet();
                    continue;
                  }
                  admitted.incrementAndGet();
                  int now = held.incrementAndGet();
                  if (now > limit) {
                    violation.compareAndSet(null, "held " + now);
                  }
                  held.decrementAndGet();
                  switch (r.nextInt(3)) {
                    case 0 -> p.success();
                    case 1 -> p.dropped();
                    default -> p.ignore();
                  }
                  if (r.nextInt(4) == 0) {
                    p.success(); // a second completion must change nothing
                  }
                }
              });
      workers.add(w);
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(50));
      assertThat(w.isAlive()).isFalse();
    }
    done.set(true);
    checker.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(violation.get()).isNull();
    assertThat(admitted.get() + refused.get()).isEqualTo((long) threads * iterations);
    assertThat(admitted.get()).isPositive();
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isEqualTo(limit);
    if (limiter instanceof AdaptiveLimiter adaptive) {
      LimiterSnapshot s = adaptive.snapshot();
      assertThat(s.acceptedTotal()).isEqualTo(admitted.get());
      assertThat(s.rejectedTotal()).isEqualTo(refused.get());
    }
  }
}
