package io.headroom.sharding.internal;

import io.headroom.sharding.ShardRouter;
import io.headroom.sharding.snippet.MaglevTable;
import java.util.Arrays;
import java.util.List;

/**
 * Maglev over the node list, with weights by weighted turns: in each round node i earns
 * {@code w_i / max(w)} turns of credit and claims one slot per whole credit, so slot counts are
 * proportional to weight (with equal weights this is exactly the paper's loop, {@link
 * MaglevTable#populate}). Offset and skip of a node come from xxHash64 of its name with two seeds.
 * A table size set by the user is carried across {@code with...} calls. The default size is
 * carried too, so a change moves few keys, while it still gives every node at least {@link
 * #MIN_SLOTS_PER_NODE} slots; when the nodes outgrow that, the next rebuild re-chooses the default
 * for the new count (most keys move, once per five-fold growth). Keeping the first default until
 * the nodes outnumbered the slots left a router grown from 10 to 1,000 nodes with about one slot
 * per node. Immutable. Not API.
 */
public final class MaglevRouter<N> extends AbstractRouter<N> {
  private static final long OFFSET_SEED = 0x6d61676c65763031L;
  private static final long SKIP_SEED = 0x6d61676c65763032L;

  /**
   * With the default size, the fewest slots per node before a rebuild re-chooses the size: with
   * equal weights every node owns the floor or ceiling of {@code size / n} slots, so at 20 the
   * busiest node has at most 5% more slots than the mean.
   */
  static final int MIN_SLOTS_PER_NODE = 20;

  private final int[] table;
  private final int size;

  /**
   * @param size the table size: {@code config.maglevTableSize()} when set, else {@link
   *     Routers#defaultMaglevTableSize} of the node count
   * @throws IllegalArgumentException if there are more nodes than {@code size} (only possible
   *     with a set size), naming both
   */
  public MaglevRouter(RouterConfig<N> config, List<N> nodes, double[] weights, int size) {
    super(config, nodes, weights);
    if (nodes.size() > size) {
      throw new IllegalArgumentException(
          "nodes: " + nodes.size() + " (expected: <= maglevTableSize " + size + ")");
    }
    long[] offsets = new long[nodes.size()];
    long[] skips = new long[nodes.size()];
    for (int i = 0; i < offsets.length; i++) {
      String name = name(nodes.get(i));
      offsets[i] = Long.remainderUnsigned(XxHash64.hashUtf8(name, OFFSET_SEED), size);
      skips[i] = Long.remainderUnsigned(XxHash64.hashUtf8(name, SKIP_SEED), size - 1) + 1;
    }
    this.size = size;
    this.table = nodes.isEmpty() ? new int[0] : populate(offsets, skips, weights, size);
  }

  /** The weighted population loop; equals {@link MaglevTable#populate} when weights are equal. */
  static int[] populate(long[] offsets, long[] skips, double[] weights, int size) {
    int n = offsets.length;
    double max = 0;
    for (double w : weights) {
      max = Math.max(max, w);
    }
    int[] entry = new int[size];
    Arrays.fill(entry, -1);
    long[] next = new long[n];
    double[] credit = new double[n];
    int filled = 0;
    while (true) {
      for (int i = 0; i < n; i++) {
        credit[i] += weights[i] / max; // the heaviest node earns exactly one turn per round
        while (credit[i] >= 1) {
          credit[i] -= 1;
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
  }

  @Override
  protected int index(long hash) {
    return table[XxHash64.range(hash, table.length)];
  }

  @Override
  protected void preference(long hash, int[] out) {
    boolean[] seen = seenArray(out.length);
    int start = XxHash64.range(hash, table.length);
    int filled = 0;
    for (int step = 0; step < table.length && filled < out.length; step++) {
      int s = start + step;
      if (s >= table.length) {
        s -= table.length;
      }
      filled = AbstractRouter.addDistinct(out, filled, table[s], seen);
    }
    for (int i = 0; filled < out.length; i++) { // nodes too light to own a slot
      filled = AbstractRouter.addDistinct(out, filled, i, seen);
    }
  }

  /** The table, for tests. */
  int[] table() {
    return table.clone();
  }

  @Override
  protected ShardRouter<N> rebuild(List<N> newNodes, double[] newWeights) {
    int next = config.maglevTableSize();
    if (next == 0) { // the default: keep it (few keys move) while every node has enough slots
      next = (long) newNodes.size() * MIN_SLOTS_PER_NODE <= size
          ? size
          : Routers.defaultMaglevTableSize(newNodes.size());
    }
    return new MaglevRouter<>(config, newNodes, newWeights, next);
  }
}
