package io.headroom.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DispatcherTest {
  private final List<Dispatcher> built = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  private Dispatcher build(Dispatcher.Builder builder) {
    Dispatcher d = builder.build();
    built.add(d);
    return d;
  }

  @AfterEach
  void shutDownAll() throws InterruptedException {
    release.countDown();
    for (Dispatcher d : built) {
      d.shutdownNow();
      assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
  }

  /** Occupies the (single) worker until {@link #release} opens; returns once it is running. */
  private void blockWorker(Dispatcher d, Lane lane) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    assertThat(d.submit(lane, () -> {
      started.countDown();
      awaitQuietly(release);
    })).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Dispatcher.Builder oneWorker(int capacity) {
    return Dispatcher.newBuilder().name("t").workers(1).capacity(capacity);
  }

  @Test
  void acceptedJobsRunOnWorkers() throws Exception {
    Dispatcher d = build(Dispatcher.newBuilder().workers(2).latencySampleEvery(1));
    CountDownLatch done = new CountDownLatch(100);
    for (int i = 0; i < 100; i++) {
      assertThat(d.submit(done::countDown)).isEqualTo(SubmitResult.ACCEPTED);
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    DispatcherStats s = d.stats();
    assertThat(s.submitted()).isEqualTo(100);
    assertThat(s.accepted()).isEqualTo(100);
    awaitCompleted(d, 100);
    assertThat(d.stats().queueWait().count()).isEqualTo(100);
    assertThat(d.stats().runTime().count()).isEqualTo(100);
  }

  private static void awaitCompleted(Dispatcher d, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (d.stats().completed() < n && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(d.stats().completed()).isEqualTo(n);
  }

  @Test
  void submitForResultCompletesTheFutureWithTheValue() throws Exception {
    Dispatcher d = build(oneWorker(16));
    assertThat(d.submitForResult(() -> 6 * 7).get(30, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void dispatcherIsAnExecutorForCompletableFuture() throws Exception {
    Dispatcher d = build(oneWorker(16));
    AtomicReference<String> thread = new AtomicReference<>();
    CompletableFuture.runAsync(() -> thread.set(Thread.currentThread().getName()), d).get(30, TimeUnit.SECONDS);
    assertThat(thread.get()).isEqualTo("headroom-async-t-1");
  }

  @Test
  void fullLaneIsRejectedAndSaysSo() throws Exception {
    Dispatcher d = build(oneWorker(2));
    blockWorker(d, Lane.BACKGROUND);
    assertThat(d.submit(() -> {})).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(d.submit(() -> {})).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(d.submit(() -> {})).isEqualTo(SubmitResult.REJECTED_FULL);
    assertThatThrownBy(() -> d.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    CompletableFuture<Integer> f = d.submitForResult(() -> 1);
    assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedExecutionException.class);
    // The urgent lane has its own room.
    assertThat(d.submit(Lane.URGENT, () -> {})).isEqualTo(SubmitResult.ACCEPTED);
    DispatcherStats s = d.stats();
    assertThat(s.rejectedFull()).isEqualTo(3);
    assertThat(s.queueDepth(Lane.BACKGROUND)).isEqualTo(2);
    assertThat(s.queueDepth(Lane.URGENT)).isEqualTo(1);
    assertThat(s.capacity(Lane.BACKGROUND)).isEqualTo(2);
  }

  @Test
  void callerRunsPolicyRunsTheJobInTheSubmittingThread() throws Exception {
    Dispatcher d = build(oneWorker(2).overflow(OverflowPolicy.CALLER_RUNS));
    blockWorker(d, Lane.BACKGROUND);
    d.submit(() -> {});
    d.submit(() -> {});
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    assertThat(d.submit(() -> ranOn.set(Thread.currentThread()))).isEqualTo(SubmitResult.CALLER_RAN);
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    assertThat(d.stats().callerRan()).isEqualTo(1);
    assertThat(d.stats().completed()).isEqualTo(1);
  }

  @Test
  void dropOldestPolicyHandsTheOldestBackgroundJobToTheHookAndQueuesTheNewOne() throws Exception {
    List<Runnable> droppedJobs = new CopyOnWriteArrayList<>();
    Dispatcher d = build(oneWorker(2).overflow(OverflowPolicy.DROP_OLDEST_BACKGROUND).onDropped(droppedJobs::add));
    blockWorker(d, Lane.BACKGROUND);
    List<String> ran = new CopyOnWriteArrayList<>();
    Runnable a = () -> ran.add("a");
    Runnable b = () -> ran.add("b");
    Runnable c = () -> ran.add("c");
    d.submit(a);
    d.submit(b);
    assertThat(d.submit(c)).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(droppedJobs).containsExactly(a);
    assertThat(d.stats().dropped()).isEqualTo(1);
    // Urgent jobs are never dropped: a full urgent lane rejects.
    d.submit(Lane.URGENT, () -> {});
    d.submit(Lane.URGENT, () -> {});
    assertThat(d.submit(Lane.URGENT, () -> {})).isEqualTo(SubmitResult.REJECTED_FULL);
    release.countDown();
    awaitCompleted(d, 5);
    assertThat(ran).containsExactly("b", "c");
  }

  @Test
  void aThrowingDroppedJobHookIsCountedAndDoesNotReachTheSubmitter() throws Exception {
    Dispatcher d = build(oneWorker(2).overflow(OverflowPolicy.DROP_OLDEST_BACKGROUND).onDropped(job -> {
      throw new IllegalStateException("hook broke");
    }));
    blockWorker(d, Lane.BACKGROUND);
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<String> a = d.submitForResult(() -> "a");
    d.submit(() -> ran.add("b"));
    // Each of these drops the oldest queued job; the hook throws in this (the submitting) thread.
    assertThat(d.submit(() -> ran.add("c"))).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(d.submit(() -> ran.add("d"))).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(d.stats().hookErrors()).isEqualTo(2);
    assertThat(d.stats().dropped()).isEqualTo(2);
    // The dropped job's future still fails as documented, hook failure or not.
    assertThatThrownBy(() -> a.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RejectedExecutionException.class);
    release.countDown();
    awaitCompleted(d, 3);
    assertThat(ran).containsExactly("c", "d");
    assertThat(d.stats().hookErrors()).isEqualTo(2);
  }

  @Test
  void urgentJobsOvertakeBackgroundJobsWhichStillGetTheirShare() throws Exception {
    Dispatcher d = build(oneWorker(64).laneWeight(Lane.URGENT, 2).laneWeight(Lane.BACKGROUND, 1));
    blockWorker(d, Lane.BACKGROUND);
    List<String> order = new CopyOnWriteArrayList<>();
    for (int i = 1; i <= 4; i++) {
      String id = "B" + i;
      d.submit(Lane.BACKGROUND, () -> order.add(id));
    }
    for (int i = 1; i <= 6; i++) {
      String id = "U" + i;
      d.submit(Lane.URGENT, () -> order.add(id));
    }
    release.countDown();
    awaitCompleted(d, 11);
    assertThat(order).containsExactly("U1", "U2", "B1", "U3", "U4", "B2", "U5", "U6", "B3", "B4");
  }

  @Test
  void aThrowingJobDoesNotKillItsWorker() throws Exception {
    Dispatcher d = build(oneWorker(16));
    d.submit(() -> {
      throw new IllegalStateException("boom");
    });
    d.submit(() -> {
      throw new AssertionError("boom");
    });
    assertThat(d.submitForResult(() -> "still alive").get(30, TimeUnit.SECONDS)).isEqualTo("still alive");
    assertThat(d.stats().failed()).isEqualTo(2);
    assertThat(d.stats().deadLettered()).isEqualTo(2);
  }

  @Test
  void retriesWaitOnTheTimerNotInTheWorker() throws Exception {
    Dispatcher d = build(oneWorker(16).maxAttempts(2).retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .retryJitter(0));
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch firstFailed = new CountDownLatch(1);
    CountDownLatch retried = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    long submittedAt = System.nanoTime();
    AtomicReference<Long> retryAt = new AtomicReference<>();
    d.submit(() -> {
      int n = attempts.incrementAndGet();
      events.add("attempt" + n + "@" + Thread.currentThread().getName());
      if (n == 1) {
        firstFailed.countDown();
        throw new IllegalStateException("first");
      }
      retryAt.set(System.nanoTime());
      retried.countDown();
    });
    assertThat(firstFailed.await(30, TimeUnit.SECONDS)).isTrue();
    CountDownLatch other = new CountDownLatch(1);
    d.submit(() -> {
      events.add("other");
      other.countDown();
    });
    assertThat(other.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(retried.await(30, TimeUnit.SECONDS)).isTrue();
    // The other job ran while the first waited for its retry: the worker was free.
    assertThat(events).containsExactly("attempt1@headroom-async-t-1", "other", "attempt2@headroom-async-t-1");
    assertThat(retryAt.get() - submittedAt).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    awaitCompleted(d, 2);
    assertThat(d.stats().retried()).isEqualTo(1);
    assertThat(d.stats().failed()).isEqualTo(1);
  }

  @Test
  void afterTheLastAttemptTheJobAndItsExceptionGoToTheDeadLetterHook() throws Exception {
    List<Object[]> dead = new CopyOnWriteArrayList<>();
    CountDownLatch deadLettered = new CountDownLatch(1);
    Dispatcher d = build(oneWorker(16).maxAttempts(3).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .onDeadLetter((job, e) -> {
          dead.add(new Object[] {job, e});
          deadLettered.countDown();
        }));
    AtomicInteger attempts = new AtomicInteger();
    Runnable job = () -> {
      throw new IllegalStateException("attempt " + attempts.incrementAndGet());
    };
    d.submit(job);
    assertThat(deadLettered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0)[0]).isSameAs(job);
    assertThat((Throwable) dead.get(0)[1]).hasMessage("attempt 3");
    DispatcherStats s = d.stats();
    assertThat(s.failed()).isEqualTo(3);
    assertThat(s.retried()).isEqualTo(2);
    assertThat(s.deadLettered()).isEqualTo(1);
    assertThat(s.completed()).isZero();
  }

  @Test
  void aDeadLetteredCallableFailsItsFuture() {
    Dispatcher d = build(oneWorker(16).maxAttempts(2).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)));
    CompletableFuture<String> f = d.submitForResult(() -> {
      throw new java.io.IOException("smtp down");
    });
    assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(java.io.IOException.class)
        .hasRootCauseMessage("smtp down");
  }

  @Test
  void aThrowingHookIsCountedAndDoesNotReachTheWorker() throws Exception {
    Dispatcher d = build(oneWorker(16).onDeadLetter((job, e) -> {
      throw new IllegalStateException("hook broke");
    }));
    d.submit(() -> {
      throw new IllegalStateException("job broke");
    });
    d.submit(() -> {
      throw new IllegalStateException("job broke again");
    });
    assertThat(d.submitForResult(() -> "ok").get(30, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(d.stats().hookErrors()).isEqualTo(2);
    assertThat(d.stats().deadLettered()).isEqualTo(2);
  }

  @Test
  void scheduledJobRunsNoEarlierThanItsDelay() throws Exception {
    Dispatcher d = build(oneWorker(16));
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<Long> ranAt = new AtomicReference<>();
    long start = System.nanoTime();
    assertThat(d.schedule(() -> {
      ranAt.set(System.nanoTime());
      ran.countDown();
    }, Duration.ofMillis(300))).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ranAt.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
  }

  @Test
  void oneTimerThreadServesEveryDelayedJobAndRetry() throws Exception {
    Dispatcher d = build(Dispatcher.newBuilder().name("onetimer").workers(2).capacity(1024)
        .maxAttempts(3).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)));
    int delayed = 200;
    int failing = 20;
    CountDownLatch ran = new CountDownLatch(delayed);
    CountDownLatch attempts = new CountDownLatch(failing * 3);
    for (int i = 0; i < delayed; i++) {
      assertThat(d.schedule(ran::countDown, Duration.ofMillis(1 + i % 50))).isEqualTo(SubmitResult.ACCEPTED);
    }
    for (int i = 0; i < failing; i++) {
      d.submit(() -> {
        attempts.countDown();
        throw new IllegalStateException("retry me");
      });
    }
    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(attempts.await(30, TimeUnit.SECONDS)).isTrue();
    long timers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("headroom-async-onetimer-timer"))
        .count();
    assertThat(timers).isEqualTo(1); // 200 delays and 40 retry waits, one thread
    long workers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().matches("headroom-async-onetimer-\\d+"))
        .count();
    assertThat(workers).isEqualTo(2);
  }

  @Test
  void submitWithMaxWaitWaitsForRoom() throws Exception {
    Dispatcher d = build(oneWorker(2));
    blockWorker(d, Lane.BACKGROUND);
    d.submit(() -> {});
    d.submit(() -> {});
    long start = System.nanoTime();
    assertThat(d.submit(() -> {}, Duration.ofMillis(100))).isEqualTo(SubmitResult.REJECTED_FULL);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown();
    });
    releaser.start();
    assertThat(d.submit(() -> {}, Duration.ofSeconds(30))).isEqualTo(SubmitResult.ACCEPTED);
    releaser.join();
    awaitCompleted(d, 4);
  }

  @Test
  void shutdownRunsQueuedJobsUntilTheDeadlineAndReturnsTheRest() throws Exception {
    Dispatcher d = build(oneWorker(16));
    blockWorker(d, Lane.BACKGROUND);
    List<Runnable> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Runnable job = () -> {};
      queued.add(job);
      d.submit(job);
    }
    Runnable delayed = () -> {};
    d.schedule(delayed, Duration.ofHours(1));
    List<Runnable> notRun = d.shutdown(Duration.ofMillis(200));
    assertThat(notRun).containsExactlyInAnyOrderElementsOf(concat(queued, delayed));
    assertThat(d.submit(() -> {})).isEqualTo(SubmitResult.REJECTED_SHUTDOWN);
    assertThat(d.schedule(() -> {}, Duration.ZERO)).isEqualTo(SubmitResult.REJECTED_SHUTDOWN);
    assertThatThrownBy(() -> d.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    release.countDown();
    assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(d.stats().completed()).isEqualTo(1);
  }

  private static List<Runnable> concat(List<Runnable> a, Runnable b) {
    List<Runnable> all = new ArrayList<>(a);
    all.add(b);
    return all;
  }

  @Test
  void gracefulShutdownRunsEverythingQueued() throws Exception {
    Dispatcher d = build(oneWorker(1024));
    blockWorker(d, Lane.BACKGROUND);
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 500; i++) {
      d.submit(ran::incrementAndGet);
    }
    release.countDown();
    assertThat(d.shutdown(Duration.ofSeconds(30))).isEmpty();
    assertThat(ran.get()).isEqualTo(500);
    assertThat(d.isTerminated()).isTrue();
  }

  @Test
  void shutdownNowReturnsQueuedJobsAtOnce() throws Exception {
    Dispatcher d = build(oneWorker(16));
    blockWorker(d, Lane.URGENT);
    Runnable u = () -> {};
    Runnable b = () -> {};
    d.submit(Lane.URGENT, u);
    d.submit(Lane.BACKGROUND, b);
    assertThat(d.shutdownNow()).containsExactlyInAnyOrder(u, b);
    assertThat(d.shutdownNow()).isEmpty();
    assertThat(d.isShutdown()).isTrue();
  }

  @Test
  void micrometerBinderPublishesCountsAndDepths() throws Exception {
    Dispatcher d = build(oneWorker(16).name("mm"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new DispatcherMetrics(d).bindTo(registry);
    for (int i = 0; i < 3; i++) {
      d.submitForResult(() -> 1).get(30, TimeUnit.SECONDS);
    }
    awaitCompleted(d, 3);
    assertThat(registry.get("headroom.async.jobs").tags("dispatcher", "mm", "outcome", "completed")
        .functionCounter().count()).isEqualTo(3.0);
    assertThat(registry.get("headroom.async.queue.capacity").tags("lane", "urgent").gauge().value()).isEqualTo(16.0);
    assertThat(registry.get("headroom.async.queue.wait").tags("quantile", "0.99").gauge().value()).isGreaterThan(0.0);
  }

  @Test
  void aParkedWorkerIsWokenBySubmitWithoutWaitingForItsParkToEnd() throws Exception {
    // Parks of up to a minute: a lost wake-up would show as a job not running within 20 s.
    Dispatcher d = build(Dispatcher.newBuilder().workers(2)
        .idleStrategy(IdleStrategy.backoff(0, 0, Duration.ofMillis(1), Duration.ofSeconds(60))));
    for (int i = 0; i < 200; i++) {
      CountDownLatch ran = new CountDownLatch(1);
      d.submit(ran::countDown);
      assertThat(ran.await(20, TimeUnit.SECONDS)).as("job %d ran", i).isTrue();
      if (i % 20 == 0) {
        Thread.sleep(5); // let the workers fall asleep again
      }
    }
  }

  @Test
  void queueWaitAndRunTimeComeFromTheInjectedTicker() throws Exception {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    // Every read advances 1 µs: submit reads once, an idle worker reads at start and at end.
    Dispatcher d = build(oneWorker(16).latencySampleEvery(1).ticker(() -> now.addAndGet(1_000)));
    for (int i = 0; i < 3; i++) {
      CountDownLatch ran = new CountDownLatch(1);
      d.submit(ran::countDown);
      assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
      awaitCompleted(d, i + 1);
      Thread.sleep(20); // the worker goes idle, so the next job's start is a fresh read
    }
    DispatcherStats s = d.stats();
    assertThat(s.queueWait().count()).isEqualTo(3);
    assertThat(s.queueWait().p50()).isBetween(1_000L, 1_063L);
    assertThat(s.queueWait().max()).isBetween(1_000L, 1_063L);
    assertThat(s.runTime().p99()).isBetween(1_000L, 1_063L);
  }

  @Test
  void callerRunsFailureIsRetriedOnAWorker() throws Exception {
    // The retry comes due after 1 s, once the worker has drained the full lane (a retry that
    // comes due to a full lane is dead-lettered: see aDelayedJobThatComesDueToAFullLaneIsDeadLettered).
    Dispatcher d = build(oneWorker(2).overflow(OverflowPolicy.CALLER_RUNS).maxAttempts(2)
        .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).retryJitter(0));
    blockWorker(d, Lane.BACKGROUND);
    d.submit(() -> {});
    d.submit(() -> {});
    List<String> threads = new CopyOnWriteArrayList<>();
    CountDownLatch second = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    assertThat(d.submit(() -> {
      threads.add(Thread.currentThread().getName());
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("first");
      }
      second.countDown();
    })).isEqualTo(SubmitResult.CALLER_RAN);
    release.countDown();
    assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).containsExactly(Thread.currentThread().getName(), "headroom-async-t-1");
  }

  @Test
  void aDelayedJobThatComesDueToAFullLaneIsDeadLettered() throws Exception {
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    CountDownLatch dead = new CountDownLatch(1);
    Dispatcher d = build(oneWorker(2).onDeadLetter((job, e) -> {
      causes.add(e);
      dead.countDown();
    }));
    blockWorker(d, Lane.BACKGROUND);
    d.submit(() -> {});
    d.submit(() -> {});
    assertThat(d.schedule(() -> {}, Duration.ofMillis(1))).isEqualTo(SubmitResult.ACCEPTED);
    assertThat(dead.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(causes.get(0)).isInstanceOf(RejectedExecutionException.class);
    assertThat(d.stats().deadLettered()).isEqualTo(1);
  }

  @Test
  void aJobWaitingForItsRetryIsReturnedByShutdown() throws Exception {
    Dispatcher d = build(oneWorker(16).maxAttempts(2).retryBackoff(Duration.ofHours(1), Duration.ofHours(1)));
    CountDownLatch failed = new CountDownLatch(1);
    Runnable job = () -> {
      failed.countDown();
      throw new IllegalStateException("fails");
    };
    d.submit(job);
    assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (d.stats().retried() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(d.shutdown(Duration.ofSeconds(5))).containsExactly(job);
    assertThat(d.stats().deadLettered()).isZero();
  }

  @Test
  void byDefaultOneJobInSixteenIsTimed() throws Exception {
    Dispatcher d = build(oneWorker(4096));
    for (int i = 0; i < 1600; i++) {
      assertThat(d.submit(() -> {})).isEqualTo(SubmitResult.ACCEPTED);
    }
    awaitCompleted(d, 1600);
    assertThat(d.stats().queueWait().count()).isEqualTo(100);
    assertThat(d.stats().runTime().count()).isEqualTo(100);
  }
}
