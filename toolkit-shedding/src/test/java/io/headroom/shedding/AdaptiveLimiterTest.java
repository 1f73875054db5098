package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdaptiveLimiterTest {
  private static final long MS = 1_000_000L;
  private static final long HOUR = 3_600_000 * MS;

  private final AtomicLong clock = new AtomicLong();

  /** A caller blocked in acquire on its own thread. */
  private static final class Caller {
    final CompletableFuture<Permit> result = new CompletableFuture<>();
    final Thread thread;

    Caller(AdaptiveLimiter limiter, Priority priority, Duration maxWait) {
      thread =
          new Thread(
              () -> {
                try {
                  result.complete(limiter.acquire(priority, maxWait));
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              });
      thread.start();
    }

    Permit permit() throws Exception {
      return result.get(10, TimeUnit.SECONDS);
    }

    Throwable failure() {
      try {
        result.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (Exception e) {
        throw new AssertionError("no failure", e);
      }
      throw new AssertionError("expected a failure, got a permit");
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10s");
      }
      Thread.sleep(1);
    }
  }

  private AdaptiveLimiter queueing(int limit) {
    // Target delay and interval far beyond any real parking, so only the fake clock moves them.
    return AdaptiveLimiter.newBuilder()
        .limit(FixedLimit.of(limit))
        .ticker(clock::get)
        .queueTargetDelay(Duration.ofHours(1))
        .queueInterval(Duration.ofHours(2))
        .build();
  }

  private static Caller enqueue(AdaptiveLimiter limiter, Priority p) throws InterruptedException {
    int before = limiter.queueDepth();
    Caller c = new Caller(limiter, p, Duration.ofDays(1));
    await(() -> limiter.queueDepth() == before + 1);
    return c;
  }

  @Test
  void queueServesOldestFirstWhileNotOverloaded() throws Exception {
    AdaptiveLimiter limiter = queueing(1);
    Permit hold = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(hold).isNotNull();
    Caller a = enqueue(limiter, Priority.NORMAL);
    Caller b = enqueue(limiter, Priority.NORMAL);
    clock.set(MS);
    hold.success();
    Permit pa = a.permit();
    assertThat(b.result).isNotDone();
    assertThat(limiter.queueDepth()).isEqualTo(1);
    pa.success();
    b.permit().success();
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.snapshot().accepted(Priority.NORMAL)).isEqualTo(2);
  }

  @Test
  void overloadedQueueRejectsWaitersPastTheTargetAndServesNewestFirst() throws Exception {
    AdaptiveLimiter limiter = queueing(1);
    Permit hold = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(hold).isNotNull();
    Caller old = enqueue(limiter, Priority.NORMAL); // t = 0
    clock.set(3 * HOUR); // the queue has not been empty for 3h > interval: overloaded
    Caller b = new Caller(limiter, Priority.NORMAL, Duration.ofDays(1));
    // b's enqueue expires `old` (waited 3h > 1h), so the depth stays 1
    assertThat(old.failure())
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("target delay");
    await(() -> limiter.queueDepth() == 1);
    clock.set(3 * HOUR + MS);
    Caller c = enqueue(limiter, Priority.NORMAL);
    clock.set(3 * HOUR + 2 * MS);
    hold.success();
    Permit pc = c.permit(); // newest first (adaptive LIFO)
    assertThat(b.result).isNotDone();
    clock.set(3 * HOUR + 3 * MS);
    pc.success();
    b.permit().success();
    LimiterSnapshot s = limiter.snapshot();
    assertThat(s.accepted(Priority.NORMAL)).isEqualTo(2);
    assertThat(s.rejected(Priority.NORMAL)).isEqualTo(1);
    assertThat(s.queueDepth()).isZero();
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void higherPriorityWaitersAreServedFirstWithinTheirShare() throws Exception {
    AdaptiveLimiter limiter = queueing(10);
    List<Permit> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(limiter.tryAcquire(Priority.CRITICAL));
    }
    Caller low = enqueue(limiter, Priority.LOW);
    Caller critical = enqueue(limiter, Priority.CRITICAL);
    held.remove(0).success(); // in flight 9: CRITICAL (threshold 10) fits, LOW (5) does not
    held.add(critical.permit());
    assertThat(low.result).isNotDone();
    for (int i = 0; i < 5; i++) {
      held.remove(0).success(); // in flight 5: LOW still does not fit
    }
    assertThat(low.result).isNotDone();
    held.remove(0).success(); // in flight 4 < 5
    low.permit().success();
    held.forEach(Permit::success);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void nobodyWaitsPastMaxWait() throws Exception {
    AdaptiveLimiter limiter = AdaptiveLimiter.newBuilder().limit(FixedLimit.of(1)).build();
    Permit hold = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(hold).isNotNull();
    List<Caller> callers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      callers.add(new Caller(limiter, Priority.HIGH, Duration.ofMillis(100)));
    }
    for (Caller c : callers) {
      assertThat(c.failure()).isInstanceOf(RejectedException.class);
    }
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(100 * MS);
    assertThat(limiter.queueDepth()).isZero();
    assertThat(limiter.snapshot().rejected(Priority.HIGH)).isEqualTo(20);
    hold.success();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void zeroMaxWaitFailsAtOnceAndFullQueueRejects() throws Exception {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.newBuilder()
            .limit(FixedLimit.of(1))
            .ticker(clock::get)
            .maxQueueDepth(1)
            .queueTargetDelay(Duration.ofHours(1))
            .queueInterval(Duration.ofHours(2))
            .build();
    Permit hold = limiter.acquire(Priority.LOW, Duration.ZERO);
    assertThatThrownBy(() -> limiter.acquire(Priority.LOW, Duration.ZERO))
        .isInstanceOf(RejectedException.class);
    Caller waiting = enqueue(limiter, Priority.LOW);
    assertThatThrownBy(() -> limiter.acquire(Priority.CRITICAL, Duration.ofDays(1)))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("queue full");
    hold.success();
    waiting.permit().success();
    assertThatThrownBy(() -> limiter.acquire(Priority.LOW, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWait");
  }

  @Test
  void interruptedWaiterLeavesTheQueue() throws Exception {
    AdaptiveLimiter limiter = queueing(1);
    Permit hold = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(hold).isNotNull();
    Caller c = enqueue(limiter, Priority.NORMAL);
    c.thread.interrupt();
    assertThat(c.failure()).isInstanceOf(InterruptedException.class);
    assertThat(limiter.queueDepth()).isZero();
    hold.success();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void waitersUnderContentionAreAllAccountedFor() throws Exception {
    int limit = 4;
    AdaptiveLimiter limiter = AdaptiveLimiter.newBuilder().limit(FixedLimit.of(limit)).build();
    int threads = 8;
    int iterations = 500;
    AtomicLong granted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicReference<String> violation = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
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
                  ThreadLocalRandom r = ThreadLocalRandom.current();
                  for (int i = 0; i < iterations; i++) {
                    Priority p = Priority.values()[r.nextInt(4)];
                    Permit permit;
                    try {
                      permit = limiter.acquire(p, Duration.ofMillis(20));
                    } catch (RejectedException e) {
                      refused.incrementAndGet();
                      continue;
                    }
                    granted.incrementAndGet();
                    if (r.nextBoolean()) {
                      Thread.yield();
                    }
                    permit.success();
                  }
                } catch (InterruptedException e) {
                  violation.compareAndSet(null, "interrupted");
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
    checker.join(5000);
    assertThat(violation.get()).isNull();
    assertThat(granted.get() + refused.get()).isEqualTo((long) threads * iterations);
    LimiterSnapshot s = limiter.snapshot();
    assertThat(s.acceptedTotal()).isEqualTo(granted.get());
    assertThat(s.rejectedTotal()).isEqualTo(refused.get());
    assertThat(s.inFlight()).isZero();
    assertThat(s.queueDepth()).isZero();
  }

  @Test
  void callReturnsTheValueAndRejectionCarriesPriorityAndLimit() throws Exception {
    AdaptiveLimiter limiter = AdaptiveLimiter.newBuilder().limit(FixedLimit.of(1)).build();
    assertThat(limiter.call(Priority.LOW, () -> "ok")).isEqualTo("ok");
    Permit hold = limiter.tryAcquire(Priority.CRITICAL);
    assertThat(hold).isNotNull();
    AtomicInteger ran = new AtomicInteger();
    assertThatThrownBy(() -> limiter.call(Priority.HIGH, ran::incrementAndGet))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.priority()).isEqualTo(Priority.HIGH);
              assertThat(e.limit()).isEqualTo(1);
            });
    assertThat(ran.get()).isZero();
    hold.success();
  }

  @Test
  void callClassifiesExceptionsAsDroppedOrIgnored() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.newBuilder().limit(AimdLimit.newBuilder().initialLimit(20).build()).build();
    TimeoutException timeout = new TimeoutException("slow");
    assertThatThrownBy(() -> limiter.call(Priority.NORMAL, () -> { throw timeout; }))
        .isSameAs(timeout);
    assertThat(limiter.snapshot().dropped()).isEqualTo(1);
    assertThat(limiter.limit()).isEqualTo(18);
    IllegalStateException bug = new IllegalStateException("bug");
    assertThatThrownBy(() -> limiter.call(Priority.NORMAL, () -> { throw bug; })).isSameAs(bug);
    assertThat(limiter.snapshot().dropped()).isEqualTo(1);
    assertThat(limiter.limit()).isEqualTo(18);
    assertThat(limiter.inFlight()).isZero();

    AdaptiveLimiter custom =
        AdaptiveLimiter.newBuilder().droppedWhen(e -> e instanceof IOException).build();
    assertThatThrownBy(() -> custom.call(Priority.NORMAL, () -> { throw new IOException("refused"); }))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> custom.call(Priority.NORMAL, () -> { throw new TimeoutException(); }))
        .isInstanceOf(TimeoutException.class);
    assertThat(custom.snapshot().dropped()).isEqualTo(1);
  }

  @Test
  void callAsyncCompletesThePermitWhenTheStageCompletes() throws Exception {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.newBuilder().limit(AimdLimit.newBuilder().initialLimit(2).build()).build();
    CompletableFuture<String> backend = new CompletableFuture<>();
    CompletableFuture<String> result = limiter.callAsync(Priority.CRITICAL, () -> backend);
    assertThat(limiter.inFlight()).isEqualTo(1);
    CompletableFuture<String> second = limiter.callAsync(Priority.CRITICAL, () -> backend);
    CompletableFuture<String> rejected = limiter.callAsync(Priority.CRITICAL, () -> backend);
    assertThat(rejected).isCompletedExceptionally();
    assertThatThrownBy(rejected::join).hasCauseInstanceOf(RejectedException.class);
    backend.complete("v");
    assertThat(result.get(1, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(limiter.inFlight()).isZero();

    CompletableFuture<String> failed =
        limiter.callAsync(Priority.CRITICAL, () -> CompletableFuture.failedFuture(new TimeoutException()));
    assertThatThrownBy(failed::join).hasCauseInstanceOf(TimeoutException.class);
    assertThat(limiter.snapshot().dropped()).isEqualTo(1);
    CompletableFuture<String> thrown =
        limiter.callAsync(Priority.CRITICAL, () -> { throw new IllegalStateException("bug"); });
    assertThatThrownBy(thrown::join).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.snapshot().acceptedTotal()).isEqualTo(4);
    assertThat(limiter.snapshot().rejectedTotal()).isEqualTo(1);
  }

  @Test
  void listenerHearsEveryLimitChangeAndItsFailuresAreCounted() {
    List<String> changes = new ArrayList<>();
    AdaptiveLimiter limiter =
        AdaptiveLimiter.newBuilder()
            .limit(AimdLimit.newBuilder().initialLimit(20).build())
            .ticker(clock::get)
            .listener((before, after) -> changes.add(before + "->" + after))
            .build();
    Permit p = limiter.tryAcquire(Priority.NORMAL);
    clock.addAndGet(MS);
    p.dropped();
    assertThat(changes).containsExactly("20->18");

    AdaptiveLimiter failing =
        AdaptiveLimiter.newBuilder()
            .limit(AimdLimit.newBuilder().initialLimit(20).build())
            .listener((before, after) -> { throw new IllegalStateException("listener bug"); })
            .build();
    failing.tryAcquire(Priority.NORMAL).dropped();
    assertThat(failing.limit()).isEqualTo(18);
    assertThat(failing.snapshot().listenerFailures()).isEqualTo(1);
  }

  @Test
  void snapshotReportsTheNoLoadRttOfRttBasedAlgorithms() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.newBuilder()
            .limit(VegasLimit.newBuilder().window(10).build())
            .ticker(clock::get)
            .build();
    assertThat(limiter.snapshot().noLoadRtt()).isEmpty();
    for (int i = 0; i < 10; i++) {
      Permit p = limiter.tryAcquire(Priority.NORMAL);
      clock.addAndGet(7 * MS);
      p.success();
    }
    LimiterSnapshot s = limiter.snapshot();
    assertThat(s.noLoadRtt()).contains(Duration.ofMillis(7));
    assertThat(s.accepted(Priority.NORMAL)).isEqualTo(10);
    assertThat(s.limit()).isEqualTo(limiter.limit());
    assertThat(AdaptiveLimiter.newBuilder().build().snapshot().noLoadRtt()).isEmpty();
  }
}
