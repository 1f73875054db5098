package io.headroom.sharding.internal;

import io.headroom.sharding.snippet.MaglevTable;
import java.util.Arrays;
import java.util.List;

/**
 * Maglev over the node list, with weights by weighted turns: in each round node i earns
 * {@code w_i / max(w)} turns of credit and claims one slot per whole credit, so slot counts are
 * proportional to weight (with equal weights this is exactly the paper's loop, {@link
 * MaglevTable#populate}). Offset and skip of a node come from xxHash64 of its name with two seeds.
 * A table size set by the user is carried across {@code with...} calls; the default is re-chosen
 * for the new node count on every rebuild ({@link AbstractRouter#rebuild} goes through {@link
 * Routers#create}; keeping an old default left a router grown from 10 to 1,000 nodes with about
 * one slot per node), so the table is always the default for the current nodes and the router
 * routes exactly as one built from scratch with the same nodes (in order) and weights. Immutable.
 * Not API.
 */
public final class MaglevRouter<N> extends AbstractRouter<N> {
  private static final long OFFSET_SEED = 0x6d61676c65763031L;
  private static final long SKIP_SEED = 0x6d61676c65763032L;

  private final int[] table;

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
}
