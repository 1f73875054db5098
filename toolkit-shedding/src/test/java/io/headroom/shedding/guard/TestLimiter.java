package io.headroom.shedding.guard;

import io.headroom.shedding.Limiter;
import io.headroom.shedding.Permit;
import io.headroom.shedding.Priority;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A fixed-limit {@link Limiter} for tests that counts how every permit was completed. */
final class TestLimiter implements Limiter {
  final int limit;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger acquired = new AtomicInteger();
  final AtomicInteger rejected = new AtomicInteger();
  final AtomicInteger successes = new AtomicInteger();
  final AtomicInteger drops = new AtomicInteger();
  final AtomicInteger ignores = new AtomicInteger();
  volatile @Nullable Priority lastPriority;

  TestLimiter(int limit) {
    this.limit = limit;
  }

  @Override
  public @Nullable Permit tryAcquire(Priority priority) {
    lastPriority = priority;
    while (true) {
      int current = inFlight.get();
      if (current >= limit) {
        rejected.incrementAndGet();
        return null;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        acquired.incrementAndGet();
        return new TestPermit();
      }
    }
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  int completed() {
    return successes.get() + drops.get() + ignores.get();
  }

  private final class TestPermit implements Permit {
    private final AtomicBoolean done = new AtomicBoolean();

    private boolean finish() {
      if (done.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
        return true;
      }
      return false;
    }

    @Override
    public void success() {
      if (finish()) {
        successes.incrementAndGet();
      }
    }

    @Override
    public void dropped() {
      if (finish()) {
        drops.incrementAndGet();
      }
    }

    @Override
    public void ignore() {
      if (finish()) {
        ignores.incrementAndGet();
      }
    }
  }
}
