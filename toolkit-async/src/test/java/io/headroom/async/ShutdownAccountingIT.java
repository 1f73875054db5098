package io.headroom.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * Requirement 7: producers submit (and schedule) from several threads while another thread shuts
 * the dispatcher down; every accepted job is then run, dead-lettered, dropped or returned, exactly
 * once, and no rejected job runs.
 */
class ShutdownAccountingIT {
  private static final int PRODUCERS = 3;
  private static final int MAX_JOBS = 3 * 200_000;

  /** A job that fails on its first attempt when id % 7 == 0 and always when id % 11 == 0. */
  private static final class Job implements Runnable {
    final int id;
    final AtomicIntegerArray attempts;
    final AtomicIntegerArray succeeded;

    Job(int id, AtomicIntegerArray attempts, AtomicIntegerArray succeeded) {
      this.id = id;
      this.attempts = attempts;
      this.succeeded = succeeded;
    }

    @Override
    public void run() {
      int attempt = attempts.incrementAndGet(id);
      if (id % 11 == 0 || (id % 7 == 0 && attempt == 1)) {
        throw new IllegalStateException("job " + id + " attempt " + attempt);
      }
      succeeded.incrementAndGet(id);
    }
  }

  @ParameterizedTest(name = "{0}, shutdown after {1} jobs, timeout {2} ms, now={3}")
  @CsvSource({
      "REJECT, 20000, 0, false",
      "REJECT, 50000, 20, false",
      "REJECT, 30000, 0, true",
      "DROP_OLDEST_BACKGROUND, 40000, 5, false",
      "DROP_OLDEST_BACKGROUND, 20000, 0, true",
      "CALLER_RUNS, 30000, 10, false"
  })
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcceptedJobIsRunDeadLetteredDroppedOrReturnedExactlyOnce(
      OverflowPolicy policy, int shutdownAfter, long timeoutMillis, boolean now) throws Exception {
    AtomicIntegerArray attempts = new AtomicIntegerArray(MAX_JOBS);
    AtomicIntegerArray succeeded = new AtomicIntegerArray(MAX_JOBS);
    AtomicIntegerArray deadLettered = new AtomicIntegerArray(MAX_JOBS);
    AtomicIntegerArray dropped = new AtomicIntegerArray(MAX_JOBS);
    AtomicIntegerArray returned = new AtomicIntegerArray(MAX_JOBS);
    AtomicIntegerArray accepted = new AtomicIntegerArray(MAX_JOBS);
    Dispatcher d = Dispatcher.newBuilder().name("acct").workers(2).capacity(512).overflow(policy)
        .maxAttempts(3).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
        .onDeadLetter((job, e) -> deadLettered.incrementAndGet(((Job) job).id))
        .onDropped(job -> dropped.incrementAndGet(((Job) job).id))
        .build();
    AtomicLong submittedCount = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    int perProducer = MAX_JOBS / PRODUCERS;
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        try {
          start.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          int id = producer * perProducer + i;
          Job job = new Job(id, attempts, succeeded);
          SubmitResult r;
          if (id % 13 == 0) {
            r = d.schedule(Lane.BACKGROUND, job, Duration.ofMillis(id % 5));
          } else {
            r = d.submit(id % 3 == 0 ? Lane.URGENT : Lane.BACKGROUND, job);
          }
          if (r.isAccepted()) {
            accepted.set(id, 1);
          } else if (r == SubmitResult.REJECTED_SHUTDOWN) {
            return;
          }
          submittedCount.incrementAndGet();
        }
      }, "producer-" + p);
      t.start();
      producers.add(t);
    }
    start.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (submittedCount.get() < shutdownAfter && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    List<Runnable> notRun = now ? d.shutdownNow() : d.shutdown(Duration.ofMillis(timeoutMillis));
    for (Runnable job : notRun) {
      returned.incrementAndGet(((Job) job).id);
    }
    for (Thread t : producers) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(d.awaitTermination(Duration.ofSeconds(60))).isTrue();

    long acceptedJobs = 0;
    for (int id = 0; id < MAX_JOBS; id++) {
      int ends = succeeded.get(id) + deadLettered.get(id) + dropped.get(id) + returned.get(id);
      if (accepted.get(id) == 1) {
        acceptedJobs++;
        if (ends != 1) {
          throw new AssertionError("accepted job " + id + ": succeeded=" + succeeded.get(id)
              + " deadLettered=" + deadLettered.get(id) + " dropped=" + dropped.get(id)
              + " returned=" + returned.get(id) + " attempts=" + attempts.get(id));
        }
      } else if (ends != 0 || attempts.get(id) != 0) {
        throw new AssertionError("rejected job " + id + " reached an end: attempts=" + attempts.get(id));
      }
      if (id % 11 == 0 && succeeded.get(id) != 0) {
        throw new AssertionError("always-failing job " + id + " succeeded");
      }
      if (attempts.get(id) > 3) {
        throw new AssertionError("job " + id + " made " + attempts.get(id) + " attempts");
      }
    }
    assertThat(acceptedJobs).isGreaterThan(0);
    DispatcherStats s = d.stats();
    assertThat(s.accepted() + s.callerRan()).isEqualTo(acceptedJobs);
    assertThat(s.deadLettered()).isEqualTo(sum(deadLettered));
    assertThat(s.dropped()).isEqualTo(sum(dropped));
    assertThat(s.completed()).isEqualTo(sum(succeeded));
  }

  private static long sum(AtomicIntegerArray a) {
    long s = 0;
    for (int i = 0; i < a.length(); i++) {
      s += a.get(i);
    }
    return s;
  }
}
