package io.headroom.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An idle dispatcher with the default idle strategy costs (almost) no CPU. The bound asserted
 * here is deliberately generous (20% of one core) because the machine is shared; the benchmark
 * scenario {@code async.idle} measures the real figure.
 */
class IdleCpuIT {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void idleWorkersWithTheDefaultStrategyUseAlmostNoCpu() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadCpuTimeSupported());
    List<Thread> threads = new CopyOnWriteArrayList<>();
    Dispatcher d = Dispatcher.newBuilder().name("idle").workers(2).threadFactory(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      threads.add(t);
      return t;
    }).build();
    try {
      d.submitForResult(() -> 1).get(30, TimeUnit.SECONDS);
      Thread.sleep(300); // let the workers reach their longest park
      long before = cpu(mx, threads);
      long start = System.nanoTime();
      Thread.sleep(2_000);
      long used = cpu(mx, threads) - before;
      long elapsed = System.nanoTime() - start;
      assertThat((double) used / elapsed).as("CPU share of one core").isLessThan(0.20);
    } finally {
      d.shutdownNow();
      assertThat(d.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }
  }

  private static long cpu(ThreadMXBean mx, List<Thread> threads) {
    long sum = 0;
    for (Thread t : threads) {
      long c = mx.getThreadCpuTime(t.getId());
      sum += Math.max(c, 0);
    }
    return sum;
  }
}
