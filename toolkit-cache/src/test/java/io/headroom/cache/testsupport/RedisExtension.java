package io.headroom.cache.testsupport;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that gives a test class its own {@code redis-server}: started before the
 * first test on a free loopback port, stopped after the last one whether the tests pass or
 * fail. Tests never talk to a Redis they did not start.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
 * ... RedisClient.create(REDIS.uri()) ...
 * REDIS.server().stop();    // outage
 * REDIS.server().restart(); // same port
 * }</pre>
 *
 * <p>Use it as a static field so one server serves the whole class. Extra server arguments go
 * to the constructor: {@code new RedisExtension("--requirepass", "secret")}.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

  private final List<String> extraArgs;
  private RedisServerProcess server;

  /** A plain server. */
  public RedisExtension() {
    this.extraArgs = List.of();
  }

  /** A server started with these arguments appended (see {@link RedisServerProcess#start(List)}). */
  public RedisExtension(String... extraArgs) {
    this.extraArgs = List.of(extraArgs);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = extraArgs.isEmpty() ? RedisServerProcess.start() : RedisServerProcess.start(extraArgs);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    RedisServerProcess s = server;
    if (s != null) {
      s.close();
      server = null;
    }
  }

  /** The server of the running test class. */
  public RedisServerProcess server() {
    RedisServerProcess s = server;
    if (s == null) {
      throw new IllegalStateException("RedisExtension is not started: register it as a static @RegisterExtension field");
    }
    return s;
  }

  /** The server's URI, {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return server().uri();
  }

  /** The server's port. */
  public int port() {
    return server().port();
  }
}
