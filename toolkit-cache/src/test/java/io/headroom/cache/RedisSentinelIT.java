package io.headroom.cache;

import static io.headroom.cache.RedisTestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cache.testsupport.RedisExtension;
import io.headroom.cache.testsupport.RedisServerProcess;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cache through a test-owned Sentinel ({@code redis-sentinel://host:port#master}) that
 * monitors a test-owned master: Lettuce asks the Sentinel for the master's address and connects
 * there. No replica and no failover: this checks discovery, not failover.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisSentinelIT {

  private static final String MASTER = "cache-primary";

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static RedisServerProcess sentinel;
  private static RedisTestClients clients;
  private static StatefulRedisConnection<String, String> master;
  private final List<TieredCache<?, ?>> caches = new ArrayList<>();
  private String name;

  @BeforeAll
  static void startSentinel() {
    sentinel = RedisServerProcess.startSentinel(MASTER, REDIS.port());
    clients = new RedisTestClients();
    master = clients.client(REDIS.uri()).connect();
  }

  @AfterAll
  static void stopSentinel() {
    if (clients != null) {
      clients.close();
    }
    if (sentinel != null) {
      sentinel.close();
    }
  }

  @BeforeEach
  void nameAfterTest(TestInfo info) {
    name = info.getTestMethod().orElseThrow().getName() + Math.abs(info.getDisplayName().hashCode());
  }

  @AfterEach
  void closeCaches() {
    caches.forEach(TieredCache::close);
  }

  private static String sentinelUri() {
    return "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER;
  }

  private TieredCache<String, String> build(boolean fromUri, InvalidationMode mode) {
    TieredCacheBuilder<String, String> b =
        TieredCache.<String, String>builder(name)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.utf8())
            .redisTimeout(Duration.ofSeconds(2))
            .invalidationMode(mode);
    TieredCache<String, String> cache = (fromUri ? b.redisUri(sentinelUri()) : b.redis(clients.client(sentinelUri()))).build();
    caches.add(cache);
    return cache;
  }

  static Stream<Arguments> everyWay() {
    return Stream.of(
        Arguments.of(true, InvalidationMode.PUBSUB),
        Arguments.of(false, InvalidationMode.PUBSUB),
        Arguments.of(true, InvalidationMode.TRACKING),
        Arguments.of(false, InvalidationMode.TRACKING));
  }

  @ParameterizedTest(name = "fromUri={0} {1}")
  @MethodSource("everyWay")
  void getPutAndInvalidateWorkAcrossTwoInstancesThroughTheSentinel(boolean fromUri, InvalidationMode mode) {
    TieredCache<String, String> a = build(fromUri, mode);
    TieredCache<String, String> b = build(fromUri, mode);

    String redisKey = "headroom:" + name + ":k";
    // The value must land on the master the Sentinel named.
    RedisTestClients.assertGetPutAndInvalidateAcross(a, b, () -> master.sync().exists(redisKey) == 1);
  }
}
