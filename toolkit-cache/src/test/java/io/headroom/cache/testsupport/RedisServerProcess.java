package io.headroom.cache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process owned by the code that started it: tests (through
 * {@link RedisExtension}) and the benchmark runner.
 *
 * <p>It listens on a free loopback port, keeps nothing on disk, and can be stopped and
 * restarted on the same port to simulate an outage. The binary is {@code redis-server} from the
 * {@code PATH} when there is one, otherwise the Linux/macOS binary shipped inside the
 * {@code com.github.codemonstur:embedded-redis} artifact, extracted to a temporary file. The
 * system property or environment variable {@code headroom.redis.binary} /
 * {@code HEADROOM_REDIS_BINARY} forces a choice: {@code path}, {@code embedded}, or a file.
 *
 * <p>Besides a plain server it starts a password-protected one ({@link #start(List)} with
 * {@code --requirepass}), a Redis Cluster node ({@link #startClusterNode()}; {@link RedisCluster}
 * forms a cluster of them), a Sentinel ({@link #startSentinel(String, int)}) and a TLS-only
 * server ({@link #startTls(Path, Path)}): the same binary in every case, so none of them needs
 * anything installed.
 *
 * <p>No orphans: every running server is killed by a JVM shutdown hook (Ctrl-C, normal exit),
 * and a small watchdog shell process kills it if the JVM dies without running hooks (SIGKILL).
 *
 * <p>Not thread-safe: one owner drives start, stop and restart.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final Set<RedisServerProcess> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (RedisServerProcess server : List.copyOf(RUNNING)) {
                    server.stop();
                  }
                },
                "headroom-redis-shutdown"));
  }

  /** What the process runs as; decides its extra arguments and how readiness is checked. */
  private enum Kind {
    STANDALONE,
    CLUSTER_NODE,
    SENTINEL,
    TLS
  }

  private final Path binary;
  private final int port;
  private final Path dataDir;
  private final Kind kind;
  private final List<String> extraArgs;
  private Process server;
  private Process watchdog;

  private RedisServerProcess(Path binary, int port, Path dataDir, Kind kind, List<String> extraArgs) {
    this.binary = binary;
    this.port = port;
    this.dataDir = dataDir;
    this.kind = kind;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts a server on a free loopback port and waits until it answers PING. */
  public static RedisServerProcess start() {
    return start(resolveBinary());
  }

  /** Starts the given binary on a free loopback port and waits until it answers PING. */
  public static RedisServerProcess start(Path binary) {
    return start(binary, Kind.STANDALONE, List.of(), null);
  }

  /**
   * Starts a server with extra command-line arguments appended to the usual ones (e.g.
   * {@code List.of("--requirepass", "secret")}) and waits until it answers PING (a
   * {@code NOAUTH} answer counts: the server is up, it only wants a password).
   */
  public static RedisServerProcess start(List<String> extraArgs) {
    return start(resolveBinary(), extraArgs);
  }

  /** Like {@link #start(List)} with the given binary. */
  public static RedisServerProcess start(Path binary, List<String> extraArgs) {
    return start(binary, Kind.STANDALONE, extraArgs, null);
  }

  /**
   * Starts a Redis Cluster node ({@code --cluster-enabled yes}, its node file
   * {@code nodes-<port>.conf} in the server's temporary directory) that is not yet part of a
   * cluster: {@link RedisCluster} joins nodes and assigns slots. The cluster bus listens on
   * {@code port + 10000}, so the port is chosen below 55536 with that bus port free too.
   */
  public static RedisServerProcess startClusterNode() {
    return startClusterNode(resolveBinary());
  }

  /** Like {@link #startClusterNode()} with the given binary. */
  public static RedisServerProcess startClusterNode(Path binary) {
    return start(binary, Kind.CLUSTER_NODE, List.of(), null);
  }

  /**
   * Starts a Sentinel ({@code redis-server <config> --sentinel}) that monitors the master
   * {@code masterName} at {@code 127.0.0.1:masterPort} with a quorum of 1. Its config file (which
   * Sentinel rewrites) lives in the server's temporary directory.
   */
  public static RedisServerProcess startSentinel(String masterName, int masterPort) {
    return startSentinel(resolveBinary(), masterName, masterPort);
  }

  /** Like {@link #startSentinel(String, int)} with the given binary. */
  public static RedisServerProcess startSentinel(Path binary, String masterName, int masterPort) {
    String config = "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1\n";
    return start(binary, Kind.SENTINEL, List.of(), config);
  }

  /**
   * Starts a server that only speaks TLS on its port ({@code --port 0 --tls-port <port>}) with
   * the given PEM certificate and PKCS#8 key; the certificate is also its CA file, and clients
   * are not asked for certificates. Readiness is checked by a TCP connect (a plain PING gets no
   * answer from a TLS port). Needs a binary built with TLS (the embedded one is).
   */
  public static RedisServerProcess startTls(Path certificatePem, Path privateKeyPem) {
    return startTls(resolveBinary(), certificatePem, privateKeyPem);
  }

  /** Like {@link #startTls(Path, Path)} with the given binary. */
  public static RedisServerProcess startTls(Path binary, Path certificatePem, Path privateKeyPem) {
    List<String> args =
        List.of(
            "--tls-cert-file", certificatePem.toString(),
            "--tls-key-file", privateKeyPem.toString(),
            "--tls-ca-cert-file", certificatePem.toString(),
            "--tls-auth-clients", "no");
    return start(binary, Kind.TLS, args, null);
  }

  private static RedisServerProcess start(Path binary, Kind kind, List<String> extraArgs, String config) {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = kind == Kind.CLUSTER_NODE ? freeClusterPort() : freePort();
      Path dataDir = null;
      try {
        dataDir = Files.createTempDirectory("headroom-redis-" + port + "-");
        if (config != null) {
          Files.writeString(dataDir.resolve(CONFIG_FILE), config, StandardCharsets.UTF_8);
        }
        RedisServerProcess process = new RedisServerProcess(binary, port, dataDir, kind, extraArgs);
        process.launch();
        return process;
      } catch (IOException e) {
        last = e; // most likely the port was taken between probing and binding: try another
        deleteRecursively(dataDir);
      }
    }
    throw new UncheckedIOException("could not start redis-server " + binary, last);
  }

  /** The port this server listens on, the same across restarts. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>} ({@code rediss://} for a TLS server). */
  public String uri() {
    return (kind == Kind.TLS ? "rediss" : "redis") + "://127.0.0.1:" + port;
  }

  /** The server's temporary working directory (its log, node file or Sentinel config). */
  public Path directory() {
    return dataDir;
  }

  /** The binary this server runs. */
  public Path binary() {
    return binary;
  }

  /** Whether the process is alive. */
  public boolean isRunning() {
    return server != null && server.isAlive();
  }

  /** The output of {@code redis-server --version}, e.g. {@code Redis server v=7.0.15 ...}. */
  public String version() {
    return versionOf(binary);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Idempotent. */
  public synchronized void stop() {
    Process p = server;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    Process w = watchdog;
    if (w != null) {
      w.destroyForcibly();
      watchdog = null;
    }
    RUNNING.remove(this);
  }

  /** Starts the server again on the same port (after {@link #stop()}); a no-op if running. */
  public synchronized void restart() {
    if (isRunning()) {
      return;
    }
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException("could not restart redis-server on port " + port, e);
    }
  }

  /** Stops the server and deletes its working directory. */
  @Override
  public void close() {
    stop();
    deleteRecursively(dataDir);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  private static final String CONFIG_FILE = "redis.conf";

  private synchronized void launch() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    if (kind == Kind.SENTINEL) {
      // Sentinel needs a writable config file, and it must be the first argument.
      command.add(dataDir.resolve(CONFIG_FILE).toString());
      command.add("--sentinel");
    }
    if (kind == Kind.TLS) {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    command.addAll(
        List.of(
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", dataDir.toString(),
            "--daemonize", "no",
            "--loglevel", "warning"));
    if (kind == Kind.CLUSTER_NODE) {
      // Relative to --dir: one node file per server, kept across restart() like a real node's.
      command.addAll(
          List.of(
              "--cluster-enabled", "yes",
              "--cluster-config-file", "nodes-" + port + ".conf",
              "--cluster-node-timeout", "5000"));
    }
    command.addAll(extraArgs);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("redis.log").toFile())
            .start();
    server = p;
    RUNNING.add(this);
    watchdog = startWatchdog(p.pid());
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        stop();
        throw new IOException(
            "redis-server exited with " + p.exitValue() + " on port " + port + ": " + log());
      }
      if (kind == Kind.TLS ? acceptsConnections(port) : isUp(port)) {
        return;
      }
      sleepMillis(20);
    }
    stop();
    throw new IOException("redis-server did not answer PING within " + STARTUP_TIMEOUT);
  }

  private String log() {
    try {
      return Files.readString(dataDir.resolve("redis.log"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Kills the server if this JVM disappears without running its shutdown hooks. */
  private static Process startWatchdog(long redisPid) {
    long jvmPid = ProcessHandle.current().pid();
    String sleep = findOnPath("sleep").map(Path::toString).orElse("/bin/sleep");
    String script =
        "while kill -0 " + jvmPid + " 2>/dev/null && kill -0 " + redisPid + " 2>/dev/null; do "
            + sleep + " 1; done; kill -9 " + redisPid + " 2>/dev/null";
    try {
      return new ProcessBuilder("/bin/sh", "-c", script)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the redis watchdog", e);
    }
  }

  static boolean answersPing(int port) {
    return pingReply(port).startsWith("+PONG");
  }

  /** Whether the port answers PING with PONG or with NOAUTH (up, but wants a password). */
  static boolean isUp(int port) {
    String reply = pingReply(port);
    return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
  }

  /** The first bytes of the reply to an inline PING, or "" if the port does not answer. */
  private static String pingReply(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[7];
      int n = in.readNBytes(buf, 0, buf.length);
      return new String(buf, 0, n, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "";
    }
  }

  static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port below 55536 that is free, and whose cluster bus port (port + 10000) is free too. */
  static int freeClusterPort() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 200; i++) {
      int port = random.nextInt(20_000, 55_536);
      if (canBind(port) && canBind(port + 10_000)) {
        return port;
      }
    }
    throw new UncheckedIOException(new IOException("no free port pair (port, port + 10000) for a cluster node"));
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** Picks the binary: the forced choice, else {@code redis-server} on the PATH, else embedded. */
  public static Path resolveBinary() {
    String forced = System.getProperty("headroom.redis.binary", System.getenv("HEADROOM_REDIS_BINARY"));
    if (forced != null && !forced.isBlank()) {
      switch (forced) {
        case "embedded":
          return extractEmbeddedBinary();
        case "path":
          return findOnPath("redis-server")
              .orElseThrow(() -> new IllegalStateException("headroom.redis.binary=path but no redis-server on the PATH"));
        default:
          Path file = Path.of(forced);
          if (!Files.isExecutable(file)) {
            throw new IllegalStateException("headroom.redis.binary: " + forced + " (expected: an executable file, 'path' or 'embedded')");
          }
          return file;
      }
    }
    return findOnPath("redis-server").orElseGet(RedisServerProcess::extractEmbeddedBinary);
  }

  static Optional<Path> findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The resource name of the embedded-redis binary for this OS and architecture. */
  static String embeddedResourceName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm64");
    if (os.contains("linux")) {
      return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    }
    throw new IllegalStateException(
        "no redis-server on the PATH and no embedded binary for os.name=" + os + " os.arch=" + arch);
  }

  /** Extracts the embedded-redis binary for this OS to a temporary file (once per machine). */
  public static Path extractEmbeddedBinary() {
    String resource = embeddedResourceName();
    Path target = Path.of(System.getProperty("java.io.tmpdir"), "headroom-" + resource);
    if (Files.isExecutable(target)) {
      return target;
    }
    try (InputStream in = RedisServerProcess.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on the PATH and resource " + resource
                + " not found: is com.github.codemonstur:embedded-redis on the classpath?");
      }
      // Write to a unique file, then move atomically: parallel JVMs may extract at once.
      Path tmp = Files.createTempFile(target.getParent(), "headroom-redis-", ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      if (!tmp.toFile().setExecutable(true, false)) {
        throw new IOException("cannot make " + tmp + " executable");
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not extract " + resource, e);
    }
  }

  static String versionOf(Path binary) {
    try {
      Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown (interrupted)";
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** All servers this JVM runs right now (for tests that check nothing is left behind). */
  static List<RedisServerProcess> running() {
    return new ArrayList<>(RUNNING);
  }

  /** The process id of the running server, if any. */
  public Optional<Long> pid() {
    Process p = server;
    return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
  }
}
