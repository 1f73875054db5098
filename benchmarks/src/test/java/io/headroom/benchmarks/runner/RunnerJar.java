package io.headroom.benchmarks.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * Runs the built {@code target/benchmarks.jar} in its own JVM, as a user does, with the test
 * fixtures ({@code io.headroom.benchmarks.smoke}) added: their classes from
 * {@code target/test-classes} and a {@code META-INF/BenchmarkList} that joins the jar's list and
 * the fixtures' (JMH reads only the first such file on the class path).
 */
final class RunnerJar implements AutoCloseable {

  static final Path MODULE = Path.of(System.getProperty("basedir", ""));
  static final Path JAR = MODULE.resolve("target/benchmarks.jar");
  static final Path TEST_CLASSES = MODULE.resolve("target/test-classes");

  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private RunnerJar(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "runner-jar-output");
    reader.setDaemon(true);
    reader.start();
  }

  static RunnerJar start(Path work, String... args) throws IOException {
    Path listDir = work.resolve("benchmark-list");
    Path list = listDir.resolve("META-INF/BenchmarkList");
    Files.createDirectories(list.getParent());
    StringBuilder joined = new StringBuilder();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      ZipEntry entry = jar.getEntry("META-INF/BenchmarkList");
      if (entry != null) {
        try (InputStream in = jar.getInputStream(entry)) {
          joined.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
        }
      }
    }
    joined.append(Files.readString(TEST_CLASSES.resolve("META-INF/BenchmarkList"), StandardCharsets.UTF_8));
    Files.writeString(list, joined.toString(), StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Other JMH runs on a shared machine hold JMH's lock; the smoke test does not measure anything.
    command.add("-Djmh.ignoreLock=true");
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, listDir.toString(), TEST_CLASSES.toString(), JAR.toString()));
    command.add("io.headroom.benchmarks.BenchmarkMain");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(work.toFile());
    pb.environment().remove("REDIS_URL");
    return new RunnerJar(pb.start());
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Waits until a line matches, or the process exits, or the time is up. */
  boolean awaitLine(Predicate<String> matches, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (lines.stream().anyMatch(matches)) {
        return true;
      }
      if (!process.isAlive()) {
        return lines.stream().anyMatch(matches);
      }
      Thread.sleep(50);
    }
    return false;
  }

  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the runner did not exit within " + seconds + " s; output:\n" + output());
    }
    reader.join(5000);
    return process.exitValue();
  }

  String output() {
    return String.join("\n", lines);
  }

  /** The port of the Redis the run started, from its {@code Redis: started redis://...} line. */
  int redisPort() {
    Matcher m = Pattern.compile("Redis: started redis://127\\.0\\.0\\.1:(\\d+)").matcher(output());
    if (!m.find()) {
      throw new AssertionError("no Redis line in:\n" + output());
    }
    return Integer.parseInt(m.group(1));
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The one timestamped directory the run created under {@code root}. */
  static Path onlyResultsDir(Path root) throws IOException {
    try (var dirs = Files.list(root)) {
      List<Path> list = dirs.filter(d -> Files.isDirectory(d) && !Files.isSymbolicLink(d)).toList();
      if (list.size() != 1) {
        throw new AssertionError("expected one results directory in " + root + ", found " + list);
      }
      return list.get(0);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
