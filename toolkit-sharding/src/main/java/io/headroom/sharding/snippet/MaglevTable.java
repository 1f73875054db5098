package io.headroom.sharding.snippet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Maglev hashing's lookup table (Daniel E. Eisenbud et al., "Maglev: A Fast and Reliable Software
 * Network Load Balancer", NSDI 2016, section 3.4): each backend walks its own permutation of the
 * table's slots, {@code (offset + j × skip) mod M}, and the backends take turns claiming the next
 * free slot of their permutation until the table is full. Lookup is one array read; every backend
 * gets ⌊M/n⌋ or ⌈M/n⌉ slots; changing the backend set moves a little more than the minimal 1/n of
 * keys.
 *
 * <p><b>Copy-in snippet:</b> this file depends on the JDK alone; paste it into any codebase. A
 * backend's offset and skip come from a 64-bit FNV-1a hash of its name's UTF-8 bytes, mixed by
 * SplitMix64's finalizer (two seeds); the table size M must be a prime, the paper suggests
 * M ≥ 100 × backends.
 *
 * <p>Immutable once built and thread-safe; {@link #lookup(long)} allocates nothing. Building costs
 * O(M log M) time and 4 bytes × M.
 */
public final class MaglevTable {
  private final String[] backends;
  private final int[] table;

  /**
   * Builds the table.
   *
   * @param backends distinct backend names, at least one
   * @param size the table size M, a prime ≥ the number of backends
   * @throws IllegalArgumentException if there are no backends, duplicates, or a bad size
   */
  public MaglevTable(List<String> backends, int size) {
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("backends: [] (expected: at least one)");
    }
    if (backends.stream().distinct().count() != backends.size()) {
      throw new IllegalArgumentException("backends: " + backends + " (expected: distinct names)");
    }
    if (size < backends.size() || !isPrime(size)) {
      throw new IllegalArgumentException("size: " + size + " (expected: a prime >= " + backends.size() + ")");
    }
    this.backends = backends.toArray(new String[0]);
    long[] offsets = new long[this.backends.length];
    long[] skips = new long[this.backends.length];
    for (int i = 0; i < offsets.length; i++) {
      long h = fnv1a(this.backends[i]);
      offsets[i] = Long.remainderUnsigned(mix(h ^ 0x6d61676c65763031L), size);
      skips[i] = Long.remainderUnsigned(mix(h ^ 0x6d61676c65763032L), size - 1) + 1;
    }
    this.table = populate(offsets, skips, size);
  }

  /**
   * The paper's population loop (its Pseudocode 1): backend i's permutation is
   * {@code (offsets[i] + j × skips[i]) mod size}; in each round every backend claims the next free
   * slot of its permutation. Returns slot → backend index.
   *
   * @param offsets per backend, in {@code [0, size)}
   * @param skips per backend, in {@code [1, size)}
   * @param size a prime ≥ the number of backends
   */
  public static int[] populate(long[] offsets, long[] skips, int size) {
    int n = offsets.length;
    int[] entry = new int[size];
    Arrays.fill(entry, -1);
    long[] next = new long[n];
    int filled = 0;
    while (true) {
      for (int i = 0; i < n; i++) {
        int c = (int) ((offsets[i] + next[i] * skips[i]) % size);
        while (entry[c] >= 0) {
          next[i]++;
          c = (int) ((offsets[i] + next[i] * skips[i]) % size);
        }
        entry[c] = i;
        next[i]++;
        if (++filled == size) {
          return entry;
        }
      }
    }
  }

  /** The backend for a well-mixed 64-bit key hash: slot = the hash's high 32 bits × M / 2^32. */
  public String lookup(long keyHash) {
    return backends[table[(int) (((keyHash >>> 32) * table.length) >>> 32)]];
  }

  /** The table size M. */
  public int size() {
    return table.length;
  }

  /** The smallest prime ≥ {@code n} (n ≥ 2). */
  public static int nextPrime(int n) {
    int p = Math.max(2, n);
    while (!isPrime(p)) {
      p++;
    }
    return p;
  }

  /** Whether {@code n} is prime, by trial division (n is a table size: fast enough). */
  public static boolean isPrime(int n) {
    if (n < 2) {
      return false;
    }
    if (n % 2 == 0) {
      return n == 2;
    }
    for (int d = 3; (long) d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
