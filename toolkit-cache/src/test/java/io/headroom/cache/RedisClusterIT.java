package io.headroom.cache;

import static io.headroom.cache.RedisTestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.cache.testsupport.RedisClusterExtension;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cache on a test-owned three-master Redis Cluster, built both from a
 * {@link RedisClusterClient} the test owns and from a cluster seed URI.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisClusterIT {

  @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension(3);

  /** How the cache gets to the cluster. */
  enum Connect {
    CLUSTER_CLIENT,
    CLUSTER_URI
  }

  private static ClientResources resources;
  private static final List<RedisClusterClient> CLIENTS = new ArrayList<>();
  private static StatefulRedisClusterConnection<String, String> raw;

  private final List<TieredCache<?, ?>> caches = new ArrayList<>();
  private String name;

  @BeforeAll
  static void connect() {
    resources = ClientResources.create();
    raw = client().connect();
  }

  @AfterAll
  static void disconnect() {
    for (RedisClusterClient c : CLIENTS) {
      c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    CLIENTS.clear();
    if (resources != null) {
      resources.shutdown();
    }
  }

  private static RedisClusterClient client() {
    RedisClusterClient c = RedisClusterClient.create(resources, CLUSTER.cluster().uris());
    c.setOptions(
        ClusterClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    c.setDefaultTimeout(Duration.ofSeconds(5));
    CLIENTS.add(c);
    return c;
  }

  @BeforeEach
  void nameAfterTest(TestInfo info) {
    name = info.getTestMethod().orElseThrow().getName() + Math.abs(info.getDisplayName().hashCode());
  }

  @AfterEach
  void closeCaches() {
    caches.forEach(TieredCache::close);
  }

  private TieredCacheBuilder<String, String> builder(Connect connect) {
    TieredCacheBuilder<String, String> b =
        TieredCache.<String, String>builder(name)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.utf8())
            .redisTimeout(Duration.ofSeconds(2));
    return connect == Connect.CLUSTER_CLIENT ? b.redisCluster(client()) : b.redisClusterUri(CLUSTER.seedUri());
  }

  private TieredCache<String, String> build(TieredCacheBuilder<String, String> b) {
    TieredCache<String, String> cache = b.build();
    caches.add(cache);
    return cache;
  }

  private String redisKey(String key) {
    return "headroom:" + name + ":" + key;
  }

  /** The node (0, 1 or 2) owning the slot of the cache's Redis key for {@code key}. */
  private int nodeOf(String key) {
    return CLUSTER.cluster().nodeIndexOfSlot(SlotHash.getSlot(redisKey(key)));
  }

  /** {@code perNode} keys owned by each of the three nodes, so every slot range is hit. */
  private List<String> keysOnEveryNode(int perNode) {
    int[] counts = new int[3];
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < 3 * perNode; i++) {
      String k = "k" + i;
      int node = nodeOf(k);
      if (counts[node] < perNode) {
        counts[node]++;
        keys.add(k);
      }
    }
    return keys;
  }

  @ParameterizedTest
  @EnumSource(Connect.class)
  void aLoadedValueIsVisibleToASecondInstanceWithoutLoading(Connect connect) {
    TieredCache<String, String> a = build(builder(connect));
    TieredCache<String, String> b = build(builder(connect));
    for (String k : keysOnEveryNode(1)) {
      assertThat(a.get(k, x -> "v-" + x)).isEqualTo("v-" + k);
      assertThat(eventually(Duration.ofSeconds(5), () -> raw.sync().exists(redisKey(k)) == 1)).isTrue();
      assertThat(b.get(k, x -> { throw new AssertionError("must come from L2"); })).isEqualTo("v-" + k);
    }
    assertThat(a.stats().loads()).isEqualTo(3);
    assertThat(b.stats().loads()).isZero();
    assertThat(b.stats().l2Hits()).isEqualTo(3);
    assertThat(b.stats().l2Errors() + a.stats().l2Errors()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Connect.class)
  void putAndInvalidateOnOneInstanceEvictOtherInstancesL1(Connect connect) {
    TieredCache<String, String> a = build(builder(connect));
    TieredCache<String, String> b = build(builder(connect));
    for (String k : keysOnEveryNode(1)) {
      assertThat(b.get(k, x -> "v1")).isEqualTo("v1");
      assertThat(eventually(Duration.ofSeconds(5), () -> raw.sync().exists(redisKey(k)) == 1)).isTrue();
      assertThat(a.get(k, x -> { throw new AssertionError("must come from L2"); })).isEqualTo("v1");

      long received = b.stats().invalidationsReceived();
      a.put(k, "v2");
      assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() > received)).isTrue();
      // b's L1 copy is gone and L2 already holds the new value when the message arrives.
      assertThat(b.get(k, x -> { throw new AssertionError("must come from L2"); })).isEqualTo("v2");

      long received2 = b.stats().invalidationsReceived();
      a.invalidate(k);
      assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() > received2)).isTrue();
      assertThat(b.get(k, x -> "v3")).isEqualTo("v3");
    }
    assertThat(a.stats().invalidationsSent()).isEqualTo(6);
    assertThat(a.stats().l2Errors() + b.stats().l2Errors()).isZero();
  }

  /**
   * On a cluster the SET goes to the key's node and the PUBLISH to another connection (often
   * another node): the message must not overtake the write. The key's node is paused for writes
   * (reads still served), so a PUBLISH sent alongside the SET would reach the other instance
   * while Redis still holds the old value, and that instance would re-read the old value into L1.
   */
  @ParameterizedTest
  @EnumSource(Connect.class)
  void theInvalidationMessageOfAPutOrInvalidateNeverOvertakesItsWrite(Connect connect) throws Exception {
    TieredCache<String, String> a = build(builder(connect));
    TieredCache<String, String> b = build(builder(connect));
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      for (String k : keysOnEveryNode(1)) {
        assertThat(b.get(k, x -> "v1")).isEqualTo("v1");
        assertThat(eventually(Duration.ofSeconds(5), () -> raw.sync().exists(redisKey(k)) == 1)).isTrue();
        long received = b.stats().invalidationsReceived();
        pauseWrites(nodeOf(k), 300);
        Future<?> put = writer.submit(() -> a.put(k, "v2"));
        assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() > received)).isTrue();
        assertThat(b.get(k, x -> { throw new AssertionError("must come from L2"); })).isEqualTo("v2");
        put.get(5, TimeUnit.SECONDS);

        // The same for invalidate: its tombstone must be in Redis before the message is out.
        long received2 = b.stats().invalidationsReceived();
        pauseWrites(nodeOf(k), 300);
        Future<?> invalidate = writer.submit(() -> a.invalidate(k));
        assertThat(eventually(Duration.ofSeconds(5), () -> b.stats().invalidationsReceived() > received2)).isTrue();
        assertThat(b.get(k, x -> "v3")).isEqualTo("v3");
        invalidate.get(5, TimeUnit.SECONDS);
      }
    } finally {
      writer.shutdownNow();
    }
  }

  /** CLIENT PAUSE millis WRITE on one node: writes (and PUBLISH) wait, reads are served. */
  private static void pauseWrites(int node, long millis) {
    io.lettuce.core.RedisClient c = io.lettuce.core.RedisClient.create(resources, CLUSTER.cluster().nodes().get(node).uri());
    try (var connection = c.connect()) {
      var codec = io.lettuce.core.codec.StringCodec.UTF8;
      String ok =
          connection.sync().dispatch(
              io.lettuce.core.protocol.CommandType.CLIENT,
              new io.lettuce.core.output.StatusOutput<>(codec),
              new io.lettuce.core.protocol.CommandArgs<>(codec).add("PAUSE").add(millis).add("WRITE"));
      assertThat(ok).isEqualTo("OK");
    } finally {
      c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @ParameterizedTest
  @EnumSource(Connect.class)
  void getAllOfKeysInDifferentSlotsReadsL2AndLoadsOnlyTheMisses(Connect connect) {
    TieredCache<String, String> a = build(builder(connect));
    TieredCache<String, String> b = build(builder(connect));
    List<String> keys = keysOnEveryNode(4);
    Set<Integer> slots = new HashSet<>();
    keys.forEach(k -> slots.add(SlotHash.getSlot(redisKey(k))));
    assertThat(slots).hasSizeGreaterThan(3);

    List<String> firstHalf = keys.subList(0, keys.size() / 2);
    Map<String, String> loadedByA = a.getAll(firstHalf, ks -> values(ks, "a"));
    assertThat(loadedByA).hasSize(firstHalf.size());
    assertThat(eventually(Duration.ofSeconds(5), () -> firstHalf.stream().allMatch(k -> raw.sync().exists(redisKey(k)) == 1))).isTrue();

    AtomicInteger bulkCalls = new AtomicInteger();
    Set<String> loadedByB = new HashSet<>();
    Map<String, String> all =
        b.getAll(keys, ks -> {
          bulkCalls.incrementAndGet();
          loadedByB.addAll(ks);
          return values(ks, "b");
        });
    assertThat(all).hasSize(keys.size());
    for (String k : keys) {
      assertThat(all.get(k)).isEqualTo((firstHalf.contains(k) ? "a-" : "b-") + k);
    }
    assertThat(bulkCalls).hasValue(1);
    assertThat(loadedByB).containsExactlyInAnyOrderElementsOf(keys.subList(keys.size() / 2, keys.size()));
    assertThat(b.stats().l2Hits()).isEqualTo(firstHalf.size());
    assertThat(b.stats().l2Errors()).isZero();

    // b's write-backs reached every node: a third instance reads all of them from L2.
    TieredCache<String, String> c = build(builder(connect));
    assertThat(eventually(Duration.ofSeconds(5), () -> keys.stream().allMatch(k -> raw.sync().exists(redisKey(k)) == 1))).isTrue();
    assertThat(c.getAll(keys, ks -> { throw new AssertionError("must come from L2: " + ks); })).isEqualTo(all);
  }

  @ParameterizedTest
  @EnumSource(Connect.class)
  void trackingModeIsRejectedByBuild(Connect connect) {
    assertThatThrownBy(() -> build(builder(connect).invalidationMode(InvalidationMode.TRACKING)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TRACKING")
        .hasMessageContaining("standalone");
  }

  @Test
  void noneModeWorksWithoutCrossInstanceInvalidation() {
    TieredCache<String, String> a = build(builder(Connect.CLUSTER_URI).invalidationMode(InvalidationMode.NONE));
    TieredCache<String, String> b = build(builder(Connect.CLUSTER_URI).invalidationMode(InvalidationMode.NONE));
    assertThat(a.get("k", x -> "v1")).isEqualTo("v1");
    assertThat(eventually(Duration.ofSeconds(5), () -> raw.sync().exists(redisKey("k")) == 1)).isTrue();
    assertThat(b.get("k", x -> { throw new AssertionError("must come from L2"); })).isEqualTo("v1");
    a.put("k", "v2");
    assertThat(b.getIfPresent("k")).isEqualTo("v1"); // L1 TTL is the only bound in NONE mode
    assertThat(a.stats().invalidationsSent()).isZero();
  }

  private static Map<String, String> values(Set<? extends String> keys, String tag) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : keys) {
      m.put(k, tag + "-" + k);
    }
    return new HashMap<>(m);
  }
}
