package io.headroom.cache.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that gives a test class its own {@link RedisCluster}: formed before the first
 * test, every node stopped after the last test whether the tests pass or fail (and by
 * {@link RedisCluster#start(int)} itself if forming fails).
 *
 * <pre>{@code
 * @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension(3);
 * ... RedisClusterClient.create(CLUSTER.cluster().uris()) ...
 * }</pre>
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private final int masters;
  private RedisCluster cluster;

  /** A cluster of {@code masters} master nodes and no replicas. */
  public RedisClusterExtension(int masters) {
    this.masters = masters;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = RedisCluster.start(masters);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    RedisCluster c = cluster;
    if (c != null) {
      c.close();
      cluster = null;
    }
  }

  /** The cluster of the running test class. */
  public RedisCluster cluster() {
    RedisCluster c = cluster;
    if (c == null) {
      throw new IllegalStateException("RedisClusterExtension is not started: register it as a static @RegisterExtension field");
    }
    return c;
  }

  /** The first node's URI, a seed for {@code redisClusterUri(...)}. */
  public String seedUri() {
    return cluster().seedUri();
  }
}
