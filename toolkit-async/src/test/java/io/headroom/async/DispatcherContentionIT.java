package io.headroom.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requirement 8: four producers, two workers, a million jobs over two lanes; every accepted job
 * runs exactly once and, for each producer and lane, in submission order.
 */
class DispatcherContentionIT {
  private static final int PRODUCERS = 4;
  private static final int PER_PRODUCER = 262_144; // 4 x 262,144 = 1,048,576 jobs
  private static final int LANES = Lane.values().length;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcceptedJobRunsExactlyOnceAndInOrderPerProducerAndLane() throws Exception {
    Dispatcher d = Dispatcher.newBuilder().name("contention").workers(2).capacity(4096).build();
    int total = PRODUCERS * PER_PRODUCER;
    AtomicIntegerArray runs = new AtomicIntegerArray(total);
    // next expected sequence number per (producer, lane); only the producer's home worker touches it
    AtomicIntegerArray nextSeq = new AtomicIntegerArray(PRODUCERS * LANES);
    AtomicLong orderViolations = new AtomicLong();
    AtomicReference<String> firstViolation = new AtomicReference<>();
    AtomicLong fullRetries = new AtomicLong();
    CountDownLatch allRan = new CountDownLatch(total);
    CountDownLatch start = new CountDownLatch(1);

    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(1234 + producer);
        int[] seqPerLane = new int[LANES];
        long retries = 0;
        awaitQuietly(start);
        for (int i = 0; i < PER_PRODUCER; i++) {
          int id = producer * PER_PRODUCER + i;
          Lane lane = random.nextInt(4) == 0 ? Lane.URGENT : Lane.BACKGROUND;
          int slot = producer * LANES + lane.ordinal();
          int seq = seqPerLane[lane.ordinal()]++;
          Runnable job = () -> {
            runs.incrementAndGet(id);
            int expected = nextSeq.getAndIncrement(slot);
            if (expected != seq) {
              orderViolations.incrementAndGet();
              firstViolation.compareAndSet(null,
                  "producer " + producer + " lane " + lane + ": ran seq " + seq + ", expected " + expected);
            }
            allRan.countDown();
          };
          SubmitResult r;
          while ((r = d.submit(lane, job)) == SubmitResult.REJECTED_FULL) {
            retries++; // not queued: offer the same job again, it keeps its place in the sequence
            Thread.yield();
          }
          if (r != SubmitResult.ACCEPTED) {
            throw new AssertionError("unexpected " + r);
          }
        }
        fullRetries.addAndGet(retries);
      }, "producer-" + p);
      t.start();
      producers.add(t);
    }
    start.countDown();
    for (Thread t : producers) {
      t.join(TimeUnit.SECONDS.toMillis(110));
      assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
    }
    assertThat(allRan.await(110, TimeUnit.SECONDS)).isTrue();

    assertThat(firstViolation.get()).isNull();
    assertThat(orderViolations.get()).isZero();
    for (int id = 0; id < total; id++) {
      if (runs.get(id) != 1) {
        throw new AssertionError("job " + id + " ran " + runs.get(id) + " times");
      }
    }
    assertThat(d.shutdown(Duration.ofSeconds(30))).isEmpty();
    assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    DispatcherStats s = d.stats();
    assertThat(s.accepted()).isEqualTo(total);
    assertThat(s.completed()).isEqualTo(total);
    assertThat(s.rejectedFull()).isEqualTo(fullRetries.get());
    assertThat(s.submitted()).isEqualTo(total + fullRetries.get());
    assertThat(s.queueWait().count()).isEqualTo(total);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
