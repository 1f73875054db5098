package io.headroom.sharding.snippet;

/**
 * Jump consistent hash (John Lamping and Eric Veach, "A Fast, Minimal Memory, Consistent Hash
 * Algorithm", 2014): maps a 64-bit key to a bucket in {@code [0, buckets)} with no memory, in
 * O(log buckets) steps, and moves only the keys it must (1/n of them) when the bucket count grows
 * or shrinks by one at the end.
 *
 * <p><b>Copy-in snippet:</b> this file depends on the JDK alone; paste it into any codebase. Its
 * outputs are stable (they follow the paper's reference algorithm exactly).
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class JumpHash {
  private JumpHash() {}

  /**
   * The bucket of {@code key} among {@code buckets}.
   *
   * @param key a 64-bit key; it need not be well mixed (the algorithm's generator mixes it)
   * @param buckets the bucket count, at least 1
   * @return a bucket in {@code [0, buckets)}
   * @throws IllegalArgumentException if {@code buckets < 1}
   */
  public static int bucket(long key, int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets: " + buckets + " (expected: >= 1)");
    }
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }
}
