package io.headroom.cache;

import static io.headroom.cache.RedisTestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.cache.testsupport.RedisServerProcess;
import io.headroom.cache.testsupport.SelfSignedCertificate;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The cache on a test-owned TLS-only Redis ({@code --port 0 --tls-port}) with a self-signed
 * certificate for 127.0.0.1: through a {@code RedisClient} that trusts the certificate and
 * verifies host and chain, and through a {@code rediss://} URI (which uses the JVM's default
 * trust store, so it needs {@code verifyPeer=NONE} for a self-signed certificate and fails
 * {@code build()} without it).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisTlsIT {

  private static Path certificates;
  private static SelfSignedCertificate certificate;
  private static RedisServerProcess server;
  private static RedisClient trustingClient;
  private static StatefulRedisConnection<String, String> raw;
  private final List<TieredCache<?, ?>> caches = new ArrayList<>();
  private final List<RedisClient> clients = new ArrayList<>();
  private String name;

  @BeforeAll
  static void startTlsServer() throws IOException {
    certificates = Files.createTempDirectory("headroom-tls-");
    certificate = SelfSignedCertificate.create(certificates);
    Path binary = RedisServerProcess.resolveBinary();
    try {
      server = RedisServerProcess.startTls(binary, certificate.certificatePem(), certificate.privateKeyPem());
    } catch (UncheckedIOException builtWithoutTls) {
      // A redis-server on the PATH may be built without TLS; the embedded one has it.
      Path embedded = RedisServerProcess.extractEmbeddedBinary();
      if (binary.equals(embedded)) {
        throw builtWithoutTls;
      }
      server = RedisServerProcess.startTls(embedded, certificate.certificatePem(), certificate.privateKeyPem());
    }
    trustingClient = trustingClient();
    raw = trustingClient.connect();
  }

  @AfterAll
  static void stopTlsServer() {
    if (trustingClient != null) {
      trustingClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (server != null) {
      server.close();
    }
    if (certificates != null) {
      try (var files = Files.walk(certificates)) {
        files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Verifies the chain against the test certificate and the host name against its SAN. */
  private static RedisClient trustingClient() {
    RedisURI uri = RedisURI.create(server.uri());
    uri.setVerifyPeer(SslVerifyMode.FULL);
    RedisClient client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .sslOptions(SslOptions.builder().jdkSslProvider().trustManager(certificate.certificatePem().toFile()).build())
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    client.setDefaultTimeout(Duration.ofSeconds(5));
    return client;
  }

  @BeforeEach
  void nameAfterTest(TestInfo info) {
    name = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() {
    caches.forEach(TieredCache::close);
    clients.forEach(c -> c.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
  }

  private TieredCacheBuilder<String, String> builder() {
    return TieredCache.<String, String>builder(name)
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.utf8())
        .redisTimeout(Duration.ofSeconds(2));
  }

  private TieredCache<String, String> track(TieredCache<String, String> cache) {
    caches.add(cache);
    return cache;
  }

  private void getPutAndInvalidateAcross(TieredCache<String, String> a, TieredCache<String, String> b) {
    assertThat(server.uri()).startsWith("rediss://");
    String redisKey = "headroom:" + name + ":k";
    RedisTestClients.assertGetPutAndInvalidateAcross(a, b, () -> raw.sync().exists(redisKey) == 1);
  }

  @Test
  void aClientThatVerifiesTheCertificateServesTwoInstances() {
    RedisClient c1 = trustingClient();
    RedisClient c2 = trustingClient();
    clients.add(c1);
    clients.add(c2);
    getPutAndInvalidateAcross(track(builder().redis(c1).build()), track(builder().redis(c2).build()));
  }

  @Test
  void aRedissUriWithoutPeerVerificationServesTwoInstances() {
    String uri = server.uri() + "?verifyPeer=NONE";
    getPutAndInvalidateAcross(track(builder().redisUri(uri).build()), track(builder().redisUri(uri).build()));
  }

  @Test
  void aRedissUriThatVerifiesAgainstTheDefaultTrustStoreRejectsTheSelfSignedCertificate() {
    assertThatThrownBy(() -> track(builder().redisUri(server.uri()).build()))
        .isInstanceOf(RedisConnectionException.class)
        .hasMessageContaining("cache \"" + name + "\"")
        // or Lettuce's lost-reason message when the handshake failure beats its connect listener
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("certification path", "RedisHandshakeHandler not registered"));
  }

  @Test
  void aPlainTextClientCannotBuildACacheOnTheTlsPort() {
    String plain = "redis://127.0.0.1:" + server.port();
    RedisClient client = RedisClient.create(plain);
    client.setDefaultTimeout(Duration.ofSeconds(2));
    clients.add(client);
    assertThatThrownBy(() -> track(builder().redis(client).build()))
        .isInstanceOf(RedisConnectionException.class)
        .hasMessageContaining("cache \"" + name + "\"");
  }
}
