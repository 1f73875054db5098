package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LoadTrackerTest {

  @Test
  void underContentionEveryUnitIsCountedAndNoNodeExceedsItsCap() throws Exception {
    BoundedLoadRouter<String> router = ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD)
        .nodes(ShardRouterBehaviourTest.names(10)).capacityFactor(1.1).buildBoundedLoad();
    LoadTracker<String> tracker = LoadTracker.of(router);
    int threads = 8;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> placed = new ConcurrentLinkedQueue<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          start.await();
          SplittableRandom random = new SplittableRandom(seed);
          for (int i = 0; i < perThread; i++) {
            // a skewed key set: half the keys are one hot key
            placed.add(tracker.acquire(i % 2 == 0 ? 42L : random.nextLong()));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(50, TimeUnit.SECONDS);
      }
      long total = (long) threads * perThread;
      assertThat(tracker.total()).isEqualTo(total);
      assertThat(placed).hasSize((int) total);
      long sum = 0;
      for (String node : router.nodes()) {
        long load = tracker.load(node);
        sum += load;
        assertThat(load).as(node).isEqualTo(placed.stream().filter(node::equals).count());
        assertThat(load).as(node).isLessThanOrEqualTo(router.capacity(node, total - 1));
      }
      assertThat(sum).isEqualTo(total);

      List<Future<?>> releases = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        releases.add(pool.submit(() -> {
          String node;
          while ((node = placed.poll()) != null) {
            tracker.release(node);
          }
          return null;
        }));
      }
      for (Future<?> f : releases) {
        f.get(50, TimeUnit.SECONDS);
      }
      assertThat(tracker.total()).isZero();
      for (String node : router.nodes()) {
        assertThat(tracker.load(node)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void releaseWithoutAcquireAndUnknownNodesAreRejected() {
    LoadTracker<String> tracker = LoadTracker.of(
        ShardRouter.<String>builder(Algorithm.BOUNDED_LOAD).node("a").node("b").buildBoundedLoad());
    assertThatThrownBy(() -> tracker.release("a"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("release of node a with load 0");
    assertThatThrownBy(() -> tracker.load("zz"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node: zz (not in this router)");
    String node = tracker.acquire("k");
    assertThat(tracker.load(node)).isEqualTo(1);
    tracker.release(node);
    assertThat(tracker.total()).isZero();
  }
}
