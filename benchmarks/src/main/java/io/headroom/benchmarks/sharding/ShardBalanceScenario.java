package io.headroom.benchmarks.sharding;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.sharding.Algorithm;
import io.headroom.sharding.BoundedLoadRouter;
import io.headroom.sharding.ShardRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Balance: peak-to-mean keys per node over 1,000,000 random keys for 100 and 1,000 nodes, per
 * algorithm. Bounded-load places the keys one by one with the loads it has placed so far (c =
 * 1.25, and c = 1.05 for comparison). A reference row assigns each key to a uniformly random node
 * (a perfect hash): it shows the sampling noise that any hash-based router has at this key count.
 */
public final class ShardBalanceScenario implements Scenario {

  @Override
  public String id() {
    return "sharding.balance";
  }

  @Override
  public String question() {
    return "How evenly does each routing algorithm spread 1,000,000 keys over 100 and 1,000 nodes (peak-to-mean)?";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    int keys = 1_000_000; // the same in quick mode: fewer keys would measure sampling noise, not balance
    int[] nodeCounts = {100, 1000};
    List<List<String>> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<RouterConfigs.Config> configs = RouterConfigs.all();
    for (RouterConfigs.Config config : configs) {
      List<String> row = new ArrayList<>();
      row.add(config.label());
      for (int n : nodeCounts) {
        ShardRouter<Integer> router = config.build(n);
        long[] counts = new long[n];
        SplittableRandom random = new SplittableRandom(context.seed());
        if (config.algorithm() == Algorithm.BOUNDED_LOAD) {
          placeWithLoads((BoundedLoadRouter<Integer>) router, counts, keys, random);
        } else {
          for (int k = 0; k < keys; k++) {
            counts[router.route(random.nextLong())]++;
          }
        }
        row.add(RouterConfigs.f(peakToMean(counts, keys)));
      }
      rows.add(row);
      labels.add(config.label());
      context.log().println("sharding.balance: " + row);
    }
    List<String> row = new ArrayList<>();
    row.add("bounded-load-c1.05");
    for (int n : nodeCounts) {
      BoundedLoadRouter<Integer> r = (BoundedLoadRouter<Integer>)
          new RouterConfigs.Config("", Algorithm.BOUNDED_LOAD, b -> b.capacityFactor(1.05)).build(n);
      long[] counts = new long[n];
      placeWithLoads(r, counts, keys, new SplittableRandom(context.seed()));
      row.add(RouterConfigs.f(peakToMean(counts, keys)));
    }
    rows.add(row);
    List<String> ideal = new ArrayList<>();
    ideal.add("uniform-random (reference)");
    for (int n : nodeCounts) {
      long[] counts = new long[n];
      SplittableRandom random = new SplittableRandom(context.seed());
      for (int k = 0; k < keys; k++) {
        counts[random.nextInt(n)]++;
      }
      ideal.add(RouterConfigs.f(peakToMean(counts, keys)));
    }
    rows.add(ideal);
    List<String> header = List.of("algorithm", "peak_to_mean_100_nodes", "peak_to_mean_1000_nodes");
    return ScenarioResult.builder(context.outputDir())
        .table("Peak-to-mean keys per node, " + keys + " random keys (lower is better, 1.0 is perfect)", header, rows)
        .csv("sharding-balance.csv", header, rows)
        .chart(ScenarioResult.ChartKind.BAR, "Balance: peak-to-mean keys per node", "sharding-balance.csv",
            "algorithm", List.of("peak_to_mean_100_nodes", "peak_to_mean_1000_nodes"), "algorithm", "peak / mean keys per node")
        .note("Keys are 1,000,000 random 64-bit pre-hashed keys (seed " + context.seed() + "), in quick mode too.")
        .note("Goal: <= 1.05 for Maglev and bounded-load. At 1,000 nodes the mean is 1,000 keys per node, so even a perfect"
            + " random assignment (the reference row) peaks several percent above the mean; Maglev's table itself is balanced"
            + " to within one slot (floor or ceil of M/n).")
        .note("Bounded-load caps every node at ceil(c x (placed + 1) / n) keys, so its peak-to-mean is at most about c.")
        .build();
  }

  static void placeWithLoads(BoundedLoadRouter<Integer> router, long[] counts, int keys, SplittableRandom random) {
    for (int k = 0; k < keys; k++) {
      int node = router.route(random.nextLong(), i -> counts[i], k);
      counts[node]++;
    }
  }

  static double peakToMean(long[] counts, int keys) {
    long max = 0;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    return max / ((double) keys / counts.length);
  }
}
