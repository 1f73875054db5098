package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Checks KETAMA against an independent, deliberately plain implementation of libmemcached's
 * weighted ketama written here from the published algorithm (libketama's README and
 * libmemcached's {@code update_continuum}): a {@link TreeMap} of points, MessageDigest MD5,
 * String formatting. The golden file {@code golden/ketama.txt} was produced by the router and
 * agrees with this implementation; it was not produced by libmemcached itself. The vectors that
 * were (libmemcached 1.1.4, {@code golden/libmemcached/}) are checked by
 * {@code internal.LibmemcachedKetamaVectorsTest}.
 */
class KetamaCompatibilityTest {

  static final List<String> SERVERS = List.of("10.0.1.1:11211", "10.0.1.2:11211", "10.0.1.3:11211",
      "10.0.1.4:11211", "10.0.1.5:11211", "10.0.1.6:11211", "10.0.1.7:11211", "10.0.1.8:11211");

  static ShardRouter<String> goldenServers() {
    ShardRouterBuilder<String> b = ShardRouter.builder(Algorithm.KETAMA);
    for (int i = 0; i < SERVERS.size(); i++) {
      b.node(SERVERS.get(i), 100 + 50 * (i % 3)); // memory-size style integer weights
    }
    return b.build();
  }

  /** The reference: server → weight, in order. */
  static final class TreeMapKetama {
    final TreeMap<Long, String> ring = new TreeMap<>();

    TreeMapKetama(Map<String, Integer> servers) throws Exception {
      long total = servers.values().stream().mapToLong(Integer::longValue).sum();
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      for (Map.Entry<String, Integer> e : servers.entrySet()) {
        float pct = (float) e.getValue() / (float) total;
        int points = (int) (Math.floor((float) (pct * 160 / 4 * (float) servers.size() + 0.0000000001)) * 4);
        for (int k = 0; k < points / 4; k++) {
          byte[] d = md5.digest((e.getKey() + "-" + k).getBytes(StandardCharsets.UTF_8));
          for (int h = 0; h < 4; h++) {
            long point = ((long) (d[3 + h * 4] & 0xFF) << 24) | ((d[2 + h * 4] & 0xFF) << 16)
                | ((d[1 + h * 4] & 0xFF) << 8) | (d[h * 4] & 0xFF);
            ring.putIfAbsent(point, e.getKey());
          }
        }
      }
    }

    String route(String key) throws Exception {
      byte[] d = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
      long h = ((long) (d[3] & 0xFF) << 24) | ((d[2] & 0xFF) << 16) | ((d[1] & 0xFF) << 8) | (d[0] & 0xFF);
      SortedMap<Long, String> tail = ring.tailMap(h);
      return tail.isEmpty() ? ring.firstEntry().getValue() : tail.get(tail.firstKey());
    }
  }

  @Test
  void unweightedServersGet160PointsEachAndRouteAsTheReference() throws Exception {
    Map<String, Integer> servers = new java.util.LinkedHashMap<>();
    SERVERS.forEach(s -> servers.put(s, 1));
    TreeMapKetama reference = new TreeMapKetama(servers);
    assertThat(reference.ring).hasSize(160 * SERVERS.size());
    ShardRouter<String> router = ShardRouter.<String>builder(Algorithm.KETAMA).nodes(SERVERS).build();
    for (int i = 0; i < 20_000; i++) {
      String key = "key:" + i;
      assertThat(router.route(key)).as(key).isEqualTo(reference.route(key));
    }
  }

  @Test
  void weightedServersRouteAsTheReference() throws Exception {
    Map<String, Integer> servers = new java.util.LinkedHashMap<>();
    for (int i = 0; i < SERVERS.size(); i++) {
      servers.put(SERVERS.get(i), 100 + 50 * (i % 3));
    }
    TreeMapKetama reference = new TreeMapKetama(servers);
    ShardRouter<String> router = goldenServers();
    for (int i = 0; i < 20_000; i++) {
      String key = i % 7 == 0 ? "ключ:" + i : "key:" + i;
      assertThat(router.route(key)).as(key).isEqualTo(reference.route(key));
      assertThat(router.route(new StringBuilder(key))).isEqualTo(reference.route(key));
    }
  }

  @Test
  void goldenFileAgreesWithTheReference() throws Exception {
    Map<String, Integer> servers = new java.util.LinkedHashMap<>();
    for (int i = 0; i < SERVERS.size(); i++) {
      servers.put(SERVERS.get(i), 100 + 50 * (i % 3));
    }
    TreeMapKetama reference = new TreeMapKetama(servers);
    List<String> lines = java.nio.file.Files.readAllLines(
        java.nio.file.Path.of("src/test/resources/golden/ketama.txt"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(301);
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t");
      assertThat(cells[1]).as(cells[0]).isEqualTo(reference.route(cells[0]));
    }
  }

  @Test
  void pointsPerServerFollowLibmemcachedsFormula() throws Exception {
    // Two servers, weights 1 and 3: pct 0.25 → floor(0.25 * 40 * 2) * 4 = 80; 0.75 → 240.
    Map<String, Integer> servers = new java.util.LinkedHashMap<>();
    servers.put("a", 1);
    servers.put("b", 3);
    TreeMapKetama reference = new TreeMapKetama(servers);
    assertThat(reference.ring.values().stream().filter("a"::equals).count()).isEqualTo(80);
    assertThat(reference.ring.values().stream().filter("b"::equals).count()).isEqualTo(240);
  }

  @Test
  void floatArithmeticGivesHundredServers156PointsEachAsLibmemcachedComputesIt() throws Exception {
    // (float) 1/100 * 160 / 4 * 100 = 39.999996f in IEEE float; libmemcached's + 0.0000000001
    // does not lift it to 40, so floor(...) * 4 = 156. At 99 or 101 servers it is 160.
    for (int n : new int[] {99, 100, 101}) {
      Map<String, Integer> servers = new java.util.LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        servers.put("s" + i, 1);
      }
      assertThat(new TreeMapKetama(servers).ring).hasSize((n == 100 ? 156 : 160) * n);
    }
  }

  @Test
  void aLongKeyIsTheKetamaPointItself() throws Exception {
    ShardRouter<String> router = ShardRouter.<String>builder(Algorithm.KETAMA).nodes(SERVERS).build();
    byte[] d = MessageDigest.getInstance("MD5").digest("some-key".getBytes(StandardCharsets.UTF_8));
    long point = ((long) (d[3] & 0xFF) << 24) | ((d[2] & 0xFF) << 16) | ((d[1] & 0xFF) << 8) | (d[0] & 0xFF);
    assertThat(router.route(point)).isEqualTo(router.route("some-key"));
  }
}
