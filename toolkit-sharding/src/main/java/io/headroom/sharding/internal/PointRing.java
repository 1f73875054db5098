package io.headroom.sharding.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A sorted ring of points, each a {@code long} whose high bits are the position and whose low
 * {@value #OWNER_BITS} bits are the owner's index, so one {@code long[]} holds both and sorts in
 * ring order (ties broken by owner index, deterministically). Immutable. Not API.
 */
final class PointRing {
  static final int OWNER_BITS = 20;
  static final long OWNER_MASK = (1L << OWNER_BITS) - 1;
  static final int MAX_OWNERS = 1 << OWNER_BITS;

  final long[] points;

  /** {@code points} are packed and need not be sorted; the array is sorted in place and kept. */
  PointRing(long[] points) {
    Arrays.sort(points);
    this.points = points;
  }

  static long pack(long position, int owner) {
    return (position & ~OWNER_MASK) | owner;
  }

  /** The slot of the first point at or after {@code position} (wrapping). */
  int slot(long position) {
    int pos = Arrays.binarySearch(points, position & ~OWNER_MASK);
    if (pos < 0) {
      pos = -pos - 1;
    }
    return pos == points.length ? 0 : pos;
  }

  int owner(int slot) {
    return (int) (points[slot] & OWNER_MASK);
  }

  /** Walks clockwise from {@code position}, filling {@code out} with distinct owners. */
  void preference(long position, int[] out, boolean @Nullable [] seen) {
    int slot = slot(position);
    int filled = 0;
    for (int step = 0; step < points.length && filled < out.length; step++) {
      int s = slot + step;
      if (s >= points.length) {
        s -= points.length;
      }
      filled = AbstractRouter.addDistinct(out, filled, owner(s), seen);
    }
  }
}
