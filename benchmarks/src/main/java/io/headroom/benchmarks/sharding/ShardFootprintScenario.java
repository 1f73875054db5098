package io.headroom.benchmarks.sharding;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Memory per node (heap retained by 1,000-node routers, measured after GC, divided by nodes; the
 * node objects themselves are shared and not counted) and the time to build a 1,000-node router
 * (median of repeated builds), per algorithm, with the hand-written TreeMap ketama ring as the
 * peer.
 */
public final class ShardFootprintScenario implements Scenario {

  @Override
  public String id() {
    return "sharding.footprint";
  }

  @Override
  public String question() {
    return "How much memory per node does each router take, and how long does a 1,000-node router take to build?";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    int n = 1000;
    int copies = context.quick() ? 8 : 20;
    int builds = context.quick() ? 7 : 21;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("node-" + i);
    }
    List<List<String>> rows = new ArrayList<>();
    for (RouterConfigs.Config config : RouterConfigs.all()) {
      config.build(n); // warm-up
      double bytesPerNode = retainedPerNode(() -> config.build(n), copies, n);
      double buildMillis = medianMillis(() -> config.build(n), builds);
      rows.add(List.of(config.label(), String.format(java.util.Locale.ROOT, "%.0f", bytesPerNode), RouterConfigs.f(buildMillis)));
      context.log().println("sharding.footprint: " + rows.get(rows.size() - 1));
    }
    new TreeMapKetamaRing(names);
    rows.add(List.of("treemap-ketama (peer)",
        String.format(java.util.Locale.ROOT, "%.0f", retainedPerNode(() -> new TreeMapKetamaRing(names), copies, n)),
        RouterConfigs.f(medianMillis(() -> new TreeMapKetamaRing(names), builds))));
    rows.add(List.of("guava-consistentHash (peer)", "0", "0"));
    List<String> header = List.of("algorithm", "bytes_per_node", "build_ms_1000_nodes");
    return ScenarioResult.builder(context.outputDir())
        .table("Memory per node and build time of a 1,000-node router", header, rows)
        .csv("sharding-footprint.csv", header, rows)
        .chart(ScenarioResult.ChartKind.BAR, "Memory per node (1,000-node router)", "sharding-footprint.csv",
            "algorithm", List.of("bytes_per_node"), "algorithm", "bytes per node")
        .note("Memory is heap used after System.gc() with " + copies + " routers alive minus before, divided by "
            + copies + " x 1,000 nodes: an estimate, noisy to a few percent on a shared machine.")
        .note("Maglev's default table is the smallest prime >= 100 x nodes, 4 bytes a slot: about 400 B per node.")
        .build();
  }

  interface Factory {
    Object build();
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static double retainedPerNode(Factory factory, int copies, int nodes) {
    Object[] keep = new Object[copies];
    long before = usedAfterGc();
    for (int i = 0; i < copies; i++) {
      keep[i] = factory.build();
    }
    long after = usedAfterGc();
    double perNode = (double) Math.max(0, after - before) / copies / nodes;
    if (keep[copies - 1] == null) {
      throw new AssertionError(); // keeps the routers reachable until measured
    }
    return perNode;
  }

  static double medianMillis(Factory factory, int builds) {
    double[] times = new double[builds];
    for (int i = 0; i < builds; i++) {
      long start = System.nanoTime();
      Object o = factory.build();
      times[i] = (System.nanoTime() - start) / 1e6;
      if (o == null) {
        throw new AssertionError();
      }
    }
    Arrays.sort(times);
    return times[builds / 2];
  }
}
