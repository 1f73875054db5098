package io.headroom.shedding.guard.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Count-based outcome window: a ring of the last {@code size} outcomes plus running totals.
 *
 * <p>Recording claims a slot with one {@code getAndIncrement}, swaps the outcome in with
 * {@code getAndSet} (which returns the outcome it evicts), and adds the difference to the totals
 * with one {@code addAndGet}: three atomic instructions, no lock. The totals pack three signed
 * 21-bit fields (calls, failures, slow calls); a field may be briefly negative when two writers
 * of the same slot apply their differences out of order, so decoding sign-extends each field,
 * which stays exact while every true field is below 2^20 (window size is capped there).
 */
final class CountWindow extends OutcomeWindow {
  static final int MAX_SIZE = (1 << 20) - 1;
  private static final int RECORDED = 1;

  private final int size;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicIntegerArray slots;
  private final AtomicLong totals = new AtomicLong();

  CountWindow(int size) {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size: " + size + " (expected: 1.." + MAX_SIZE + ")");
    }
    this.size = size;
    this.slots = new AtomicIntegerArray(size);
  }

  private static long encode(int code) {
    return ((long) (code & RECORDED) << 42) | ((long) ((code >> 1) & 1) << 21) | ((code >> 2) & 1);
  }

  @Override
  public void record(int outcome, long nowNanos) {
    int code = outcome | RECORDED;
    int index = (int) Long.remainderUnsigned(sequence.getAndIncrement(), size);
    int evicted = slots.getAndSet(index, code);
    if (evicted != code) {
      totals.addAndGet(encode(code) - encode(evicted));
    }
  }

  @Override
  public long totals(long nowNanos) {
    long t = totals.get();
    long slow = signExtend21(t);
    long rest = (t - slow) >> 21;
    long failures = signExtend21(rest);
    long calls = (rest - failures) >> 21;
    return pack(calls, failures, slow);
  }

  private static long signExtend21(long value) {
    return (value << 43) >> 43;
  }
}
