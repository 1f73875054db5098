package io.headroom.sharding.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Weighted rendezvous hashing: node i scores {@code w_i / -ln(u_i)} where {@code u_i} in (0, 1)
 * comes from SplitMix64(keyHash XOR xxHash64(name_i)); the highest score wins, replicas are the
 * next highest. With equal weights the score is monotone in {@code u}, so the logarithm is
 * skipped. Ties go to the lower index. Immutable. Not API.
 */
public final class RendezvousRouter<N> extends AbstractRouter<N> {
  private final long[] seeds;
  private final boolean equalWeights;

  public RendezvousRouter(RouterConfig<N> config, List<N> nodes, double[] weights) {
    super(config, nodes, weights);
    this.seeds = new long[nodes.size()];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = XxHash64.hashUtf8(name(nodes.get(i)), 0);
    }
    boolean equal = true;
    for (double w : weights) {
      equal &= w == weights[0];
    }
    this.equalWeights = equal;
  }

  private static double unit(long bits) {
    return ((bits >>> 11) + 0.5) * 0x1.0p-53;
  }

  private double score(long hash, int i) {
    long bits = XxHash64.mix(hash ^ seeds[i]);
    if (equalWeights) {
      return bits >>> 11; // monotone in u: same order as w / -ln(u) with equal w
    }
    return weights[i] / -Math.log(unit(bits));
  }

  @Override
  protected int index(long hash) {
    int best = 0;
    double bestScore = score(hash, 0);
    for (int i = 1; i < seeds.length; i++) {
      double s = score(hash, i);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  @Override
  protected void preference(long hash, int[] out) {
    int n = seeds.length;
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = score(hash, i);
    }
    if (out.length <= 8) {
      boolean[] taken = new boolean[n];
      for (int k = 0; k < out.length; k++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (!taken[i] && (best < 0 || scores[i] > scores[best])) {
            best = i;
          }
        }
        taken[best] = true;
        out[k] = best;
      }
      return;
    }
    // Sort by score descending, index ascending.
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
    for (int k = 0; k < out.length; k++) {
      out[k] = idx[k];
    }
  }
}
