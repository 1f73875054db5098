package io.headroom.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** One manual time source serving as both the cache's ticker and its wall clock. */
final class FakeTime extends Clock implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long read() {
    return nanos.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public long millis() {
    return nanos.get() / 1_000_000L;
  }
}
