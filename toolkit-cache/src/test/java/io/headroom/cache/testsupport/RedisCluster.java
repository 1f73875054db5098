package io.headroom.cache.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of {@code masters} test-owned {@code redis-server} nodes (no replicas) on free
 * loopback ports, formed without {@code redis-cli}: {@code CLUSTER MEET} from the first node to
 * the others, the 16384 slots split into contiguous ranges ({@code CLUSTER ADDSLOTS}), then a
 * bounded wait until every node reports {@code cluster_state:ok} and knows every other node.
 *
 * <p>{@link #close()} stops every node and deletes its directory; if forming the cluster fails,
 * {@link #start(int)} stops the nodes it started before it throws. Not thread-safe.
 */
public final class RedisCluster implements AutoCloseable {

  /** Slots in a Redis Cluster. */
  public static final int SLOTS = 16_384;

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServerProcess> nodes;

  private RedisCluster(List<RedisServerProcess> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Starts {@code masters} nodes and forms a cluster of them; at least 1. */
  public static RedisCluster start(int masters) {
    return start(RedisServerProcess.resolveBinary(), masters);
  }

  /** Like {@link #start(int)} with the given binary. */
  public static RedisCluster start(java.nio.file.Path binary, int masters) {
    if (masters < 1) {
      throw new IllegalArgumentException("masters: " + masters + " (expected: >= 1)");
    }
    List<RedisServerProcess> nodes = new ArrayList<>(masters);
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(RedisServerProcess.startClusterNode(binary));
      }
      form(nodes);
      return new RedisCluster(nodes);
    } catch (RuntimeException | Error e) {
      nodes.forEach(RedisServerProcess::close);
      throw e;
    }
  }

  private static void form(List<RedisServerProcess> nodes) {
    RedisClient client = RedisClient.create();
    client.setDefaultTimeout(Duration.ofSeconds(5));
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    try {
      List<RedisCommands<String, String>> commands = new ArrayList<>();
      for (RedisServerProcess node : nodes) {
        StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(node.uri()));
        connections.add(c);
        commands.add(c.sync());
      }
      for (int i = 1; i < nodes.size(); i++) {
        commands.get(0).clusterMeet("127.0.0.1", nodes.get(i).port());
      }
      int n = nodes.size();
      for (int i = 0; i < n; i++) {
        commands.get(i).clusterAddSlots(IntStream.range(firstSlot(i, n), firstSlot(i + 1, n)).toArray());
      }
      long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
      while (!formed(commands, n)) {
        if (System.nanoTime() > deadline) {
          StringBuilder state = new StringBuilder();
          for (int i = 0; i < n; i++) {
            state.append("\nnode ").append(nodes.get(i).port()).append(":\n").append(commands.get(i).clusterNodes());
          }
          throw new IllegalStateException("cluster not formed within " + FORM_TIMEOUT + state);
        }
        sleepMillis(50);
      }
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Every node says cluster_state:ok and lists every node as connected. */
  private static boolean formed(List<RedisCommands<String, String>> commands, int n) {
    for (RedisCommands<String, String> c : commands) {
      if (!c.clusterInfo().contains("cluster_state:ok")) {
        return false;
      }
      long connected = c.clusterNodes().lines().filter(l -> l.contains(" connected")).count();
      if (connected != n) {
        return false;
      }
    }
    return true;
  }

  /** The nodes, in slot order: node {@code i} owns slots {@code [16384·i/n, 16384·(i+1)/n)}. */
  public List<RedisServerProcess> nodes() {
    return nodes;
  }

  /** The index in {@link #nodes()} of the node that owns {@code slot}. */
  public int nodeIndexOfSlot(int slot) {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("slot: " + slot + " (expected: in [0, " + SLOTS + "))");
    }
    int n = nodes.size();
    for (int i = 0; i < n; i++) {
      if (slot < firstSlot(i + 1, n)) {
        return i;
      }
    }
    throw new AssertionError(slot);
  }

  private static int firstSlot(int node, int n) {
    return SLOTS * node / n;
  }

  /** {@code redis://127.0.0.1:<port>} of the first node: a seed for a cluster client. */
  public String seedUri() {
    return nodes.get(0).uri();
  }

  /** The URIs of every node. */
  public List<RedisURI> uris() {
    List<RedisURI> uris = new ArrayList<>(nodes.size());
    for (RedisServerProcess node : nodes) {
      uris.add(RedisURI.create(node.uri()));
    }
    return uris;
  }

  /** Stops every node and deletes their directories. Idempotent. */
  @Override
  public void close() {
    for (RedisServerProcess node : nodes) {
      node.close();
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while forming the cluster", e);
    }
  }
}
