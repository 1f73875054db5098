package io.headroom.sharding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Which keys move between two routers, measured on a key sample, so an operator can plan a
 * migration (which node sends how much to which) before applying a change.
 *
 * <p>Immutable and thread-safe. {@link #between(ShardRouter, ShardRouter, int, long)} costs one
 * lookup per sampled key in each router.
 *
 * @param <N> the node type
 */
public final class Movement<N> {

  /**
   * Keys that go from one node to another.
   *
   * @param from the node that owns them under the first router
   * @param to the node that owns them under the second
   * @param keys how many sampled keys move so
   * @param fraction {@code keys / sampleSize}
   */
  public record Transfer<N>(N from, N to, long keys, double fraction) {
    public Transfer {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  private final long sampleSize;
  private final long moved;
  private final List<Transfer<N>> transfers;

  private Movement(long sampleSize, long moved, List<Transfer<N>> transfers) {
    this.sampleSize = sampleSize;
    this.moved = moved;
    this.transfers = List.copyOf(transfers);
  }

  /**
   * Routes {@code sampleSize} random pre-hashed keys (from a {@link SplittableRandom} with
   * {@code seed}, so the sample is repeatable) through both routers.
   *
   * @throws IllegalArgumentException if {@code sampleSize < 1}
   * @throws IllegalStateException if either router has no nodes
   */
  public static <N> Movement<N> between(ShardRouter<N> before, ShardRouter<N> after, int sampleSize, long seed) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (sampleSize < 1) {
      throw new IllegalArgumentException("sampleSize: " + sampleSize + " (expected: >= 1)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    Counter<N> counter = new Counter<>();
    for (int i = 0; i < sampleSize; i++) {
      long key = random.nextLong();
      counter.add(before.route(key), after.route(key));
    }
    return counter.result();
  }

  /**
   * Routes the given keys (e.g. a sample of real keys) through both routers.
   *
   * @throws IllegalArgumentException if {@code keys} is empty
   * @throws IllegalStateException if either router has no nodes
   */
  public static <N> Movement<N> between(ShardRouter<N> before, ShardRouter<N> after, Iterable<? extends CharSequence> keys) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(keys, "keys");
    Counter<N> counter = new Counter<>();
    for (CharSequence key : keys) {
      counter.add(before.route(key), after.route(key));
    }
    if (counter.total == 0) {
      throw new IllegalArgumentException("keys: empty (expected: at least one key)");
    }
    return counter.result();
  }

  private static final class Counter<N> {
    final Map<N, Map<N, long[]>> counts = new LinkedHashMap<>();
    long total;
    long moved;

    void add(N from, N to) {
      total++;
      if (!from.equals(to)) {
        moved++;
        counts.computeIfAbsent(from, f -> new HashMap<>()).computeIfAbsent(to, t -> new long[1])[0]++;
      }
    }

    Movement<N> result() {
      List<Transfer<N>> transfers = new ArrayList<>();
      counts.forEach((from, tos) -> tos.forEach(
          (to, n) -> transfers.add(new Transfer<>(from, to, n[0], (double) n[0] / total))));
      transfers.sort(Comparator.comparingLong((Transfer<N> t) -> t.keys()).reversed()
          .thenComparing(t -> String.valueOf(t.from()))
          .thenComparing(t -> String.valueOf(t.to())));
      return new Movement<>(total, moved, transfers);
    }
  }

  /** How many keys were sampled. */
  public long sampleSize() {
    return sampleSize;
  }

  /** How many sampled keys route to a different node. */
  public long movedKeys() {
    return moved;
  }

  /** {@code movedKeys / sampleSize}. */
  public double movedFraction() {
    return (double) moved / sampleSize;
  }

  /** The transfers, largest first (ties by the nodes' string forms). */
  public List<Transfer<N>> transfers() {
    return transfers;
  }

  /** Sampled keys leaving each node (nodes that lose none are absent). */
  public Map<N, Long> outgoing() {
    Map<N, Long> out = new LinkedHashMap<>();
    for (Transfer<N> t : transfers) {
      out.merge(t.from(), t.keys(), Long::sum);
    }
    return Collections.unmodifiableMap(out);
  }

  /** Sampled keys arriving at each node (nodes that gain none are absent). */
  public Map<N, Long> incoming() {
    Map<N, Long> in = new LinkedHashMap<>();
    for (Transfer<N> t : transfers) {
      in.merge(t.to(), t.keys(), Long::sum);
    }
    return Collections.unmodifiableMap(in);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "Movement[%d of %d keys (%.4f) move, %d transfers]",
        moved, sampleSize, movedFraction(), transfers.size());
  }
}
