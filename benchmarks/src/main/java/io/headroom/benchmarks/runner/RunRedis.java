package io.headroom.benchmarks.runner;

import io.headroom.benchmarks.scenario.ScenarioContext.RedisControl;
import io.headroom.cache.testsupport.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Redis a run measures against: the server given by {@code REDIS_URL}, or one the run starts
 * itself (the same way the tests do) and stops at the end.
 *
 * <p>Thread-safe for {@link #close()} (the Ctrl-C hook may call it while the run is going on).
 */
public final class RunRedis implements AutoCloseable {

  private final String uri;
  private final String description;
  private final @Nullable RedisServerProcess process;

  private RunRedis(String uri, String description, @Nullable RedisServerProcess process) {
    this.uri = uri;
    this.description = description;
    this.process = process;
  }

  /** Measures against an external server, which the run never stops. */
  public static RunRedis external(String redisUrl) {
    Objects.requireNonNull(redisUrl, "redisUrl");
    String version = infoVersion(redisUrl).orElse("unknown (INFO failed)");
    return new RunRedis(redisUrl, "Redis " + version + " at REDIS_URL " + redactPassword(redisUrl), null);
  }

  /** Starts a server on a free loopback port ({@code redis-server} on the PATH, else embedded). */
  public static RunRedis startOwn() {
    RedisServerProcess p = RedisServerProcess.start();
    String version = infoVersion(p.uri()).orElseGet(p::version);
    return new RunRedis(p.uri(), "Redis " + version + " started by the run (" + p.binary() + ")", p);
  }

  /** {@code redis://host:port}. */
  public String uri() {
    return uri;
  }

  /** The version and where the server comes from, for the report. */
  public String description() {
    return description;
  }

  /** Stop and restart for outage scenarios; empty for an external server. */
  public Optional<RedisControl> control() {
    RedisServerProcess p = process;
    if (p == null) {
      return Optional.empty();
    }
    return Optional.of(new RedisControl() {
      @Override
      public void stop() {
        p.stop();
      }

      @Override
      public void restart() {
        p.restart();
      }
    });
  }

  /** Stops the server if the run started it; idempotent. */
  @Override
  public void close() {
    RedisServerProcess p = process;
    if (p != null) {
      p.close();
    }
  }

  /** The {@code redis_version} from {@code INFO server}, asked over a plain socket. */
  static Optional<String> infoVersion(String redisUrl) {
    try {
      URI u = URI.create(redisUrl);
      if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
        return Optional.empty();
      }
      int port = u.getPort() > 0 ? u.getPort() : 6379;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(u.getHost(), port), 2000);
        socket.setSoTimeout(2000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        String userInfo = u.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
          List<String> auth = new ArrayList<>();
          auth.add("AUTH");
          int colon = userInfo.indexOf(':');
          if (colon > 0) {
            auth.add(userInfo.substring(0, colon));
          }
          auth.add(colon >= 0 ? userInfo.substring(colon + 1) : userInfo);
          out.write(command(auth));
          out.flush();
          readLine(in);
        }
        out.write(command(List.of("INFO", "server")));
        out.flush();
        String first = readLine(in);
        if (!first.startsWith("$")) {
          return Optional.empty();
        }
        int length = Integer.parseInt(first.substring(1));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return parseVersion(body);
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static Optional<String> parseVersion(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        return Optional.of(line.substring("redis_version:".length()).trim());
      }
    }
    return Optional.empty();
  }

  static byte[] command(List<String> parts) {
    StringBuilder sb = new StringBuilder("*").append(parts.size()).append("\r\n");
    for (String p : parts) {
      sb.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (prev == '\r' && c == '\n') {
        byte[] bytes = buf.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      buf.write(c);
      prev = c;
      if (buf.size() > 1 << 16) {
        throw new IOException("line too long");
      }
    }
  }

  /** {@code redis://:***@host:6379} instead of the password. */
  static String redactPassword(String redisUrl) {
    return redisUrl.replaceAll("//([^@/]*):[^@/]*@", "//$1:***@");
  }
}
