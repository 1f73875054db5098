package io.headroom.async.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void valuesBelow32AreExact() {
    for (long v = 0; v < 32; v++) {
      assertThat(LatencyRecorder.upperBound(LatencyRecorder.bucketOf(v))).isEqualTo(v);
    }
    assertThat(LatencyRecorder.bucketOf(-5)).isZero();
  }

  @Test
  void everyValueFallsInABucketWhoseUpperBoundIsAtMostOneSixteenthAbove() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      long v = random.nextLong(1, Long.MAX_VALUE) >>> random.nextInt(63);
      int b = LatencyRecorder.bucketOf(v);
      long upper = LatencyRecorder.upperBound(b);
      assertThat(upper).isGreaterThanOrEqualTo(v);
      assertThat((double) (upper - v)).isLessThanOrEqualTo(v / 16.0);
      if (b > 0) {
        assertThat(LatencyRecorder.upperBound(b - 1)).isLessThan(v);
      }
    }
    assertThat(LatencyRecorder.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyRecorder.BUCKETS - 1);
    assertThat(LatencyRecorder.upperBound(LatencyRecorder.BUCKETS - 1)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void bucketsAreContiguous() {
    for (int b = 1; b < LatencyRecorder.BUCKETS; b++) {
      long firstOfB = LatencyRecorder.upperBound(b - 1) + 1;
      assertThat(LatencyRecorder.bucketOf(firstOfB)).isEqualTo(b);
    }
  }

  @Test
  void percentilesAreWithinOneSixteenthAboveTheExactOnes() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 100_000;
    long[] values = new long[n];
    LatencyRecorder recorder = new LatencyRecorder();
    for (int i = 0; i < n; i++) {
      // log-normal-ish: 100 ns .. 10 ms
      values[i] = (long) Math.exp(Math.log(100) + random.nextDouble() * Math.log(100_000));
      recorder.record(values[i]);
    }
    Arrays.sort(values);
    long[] merged = new long[LatencyRecorder.BUCKETS];
    recorder.addTo(merged);
    assertThat(LatencyRecorder.count(merged)).isEqualTo(n);
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999, 1.0}) {
      long exact = values[(int) Math.ceil(q * n) - 1];
      long reported = LatencyRecorder.valueAt(merged, q);
      assertThat(reported).as("q=%s", q).isGreaterThanOrEqualTo(exact);
      assertThat((double) reported).as("q=%s", q).isLessThanOrEqualTo(exact * (1 + 1 / 16.0));
    }
  }

  @Test
  void emptyRecorderReportsZero() {
    long[] merged = new long[LatencyRecorder.BUCKETS];
    new LatencyRecorder().addTo(merged);
    assertThat(LatencyRecorder.valueAt(merged, 0.99)).isZero();
  }
}
