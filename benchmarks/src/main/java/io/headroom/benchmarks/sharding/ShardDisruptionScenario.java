package io.headroom.benchmarks.sharding;

import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.sharding.Movement;
import io.headroom.sharding.ShardRouter;
import java.util.ArrayList;
import java.util.List;

/**
 * Disruption: the fraction of keys that move when one of 100 nodes is removed (the first, the
 * 50th, the last) or one is added, as a ratio to the optimum (1/100 for a removal, 1/101 for an
 * addition), measured with {@link Movement} on a sample of random keys. A second table gives the
 * ratio of moved keys to the keys the removed node actually held, which separates excess movement
 * (> 1.0) from the node's share being above or below 1/n.
 */
public final class ShardDisruptionScenario implements Scenario {

  @Override
  public String id() {
    return "sharding.disruption";
  }

  @Override
  public String question() {
    return "What fraction of keys moves when one of 100 nodes leaves (first, middle, last) or one joins, next to the optimum 1/n?";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    int n = 100;
    int sample = context.quick() ? 400_000 : 1_000_000;
    List<List<String>> rows = new ArrayList<>();
    List<List<String>> ownRows = new ArrayList<>();
    for (RouterConfigs.Config config : RouterConfigs.all()) {
      ShardRouter<Integer> before = config.build(n);
      List<String> row = new ArrayList<>();
      List<String> own = new ArrayList<>();
      row.add(config.label());
      own.add(config.label());
      for (int removed : new int[] {0, n / 2, n - 1}) {
        Movement<Integer> m = Movement.between(before, before.withoutNode(removed), sample, context.seed());
        row.add(RouterConfigs.f(m.movedFraction() * n));
        long held = m.outgoing().getOrDefault(removed, 0L);
        own.add(RouterConfigs.f(held == 0 ? Double.NaN : (double) m.movedKeys() / held));
      }
      Movement<Integer> added = Movement.between(before, before.withNode(n), sample, context.seed());
      row.add(RouterConfigs.f(added.movedFraction() * (n + 1)));
      long gained = added.incoming().getOrDefault(n, 0L);
      own.add(RouterConfigs.f(gained == 0 ? Double.NaN : (double) added.movedKeys() / gained));
      rows.add(row);
      ownRows.add(own);
      context.log().println("sharding.disruption: " + row);
    }
    List<String> header = List.of("algorithm", "remove_first", "remove_middle", "remove_last", "add_one");
    return ScenarioResult.builder(context.outputDir())
        .table("Keys moved / optimum (1/100 for a removal, 1/101 for an addition), 100 nodes, " + sample + " keys", header, rows)
        .table("Keys moved / keys the removed (or added) node holds (1.0 = only its keys move)", header, ownRows)
        .csv("sharding-disruption.csv", header, rows)
        .csv("sharding-disruption-own-share.csv", header, ownRows)
        .chart(ScenarioResult.ChartKind.BAR, "Disruption: keys moved as a multiple of the optimum 1/n", "sharding-disruption.csv",
            "algorithm", List.of("remove_first", "remove_middle", "remove_last", "add_one"), "algorithm", "moved / optimum")
        .note("Goal: <= 1.02x optimum for ring, jump, rendezvous and anchor; Maglev reports its own. Ratios to 1/n also carry"
            + " the removed node's share, which for a ring with 160 virtual nodes varies by several percent from node to node;"
            + " the second table divides by the node's actual keys instead.")
        .note("Ketama follows libmemcached's float arithmetic for points per server: 156 each at exactly 100 servers,"
            + " 160 at 99 or 101, so any change from 100 servers re-places every server's points (about 3.5x the optimum).")
        .note("Jump can only drop its last bucket; removing another node moves the last node into its bucket, so about 2/n move.")
        .note("Bounded-load routes here without loads (as its ring); with loads, keys also move when loads change.")
        .build();
  }
}
