package io.headroom.benchmarks.runner;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Kills the JMH fork of a benchmark that runs far longer than planned (a benchmark that ignores
 * JMH's interrupt would otherwise hang the whole run). JMH then sees its fork die, reports the
 * benchmark as failed and goes on with the next one; {@link #killed} tells the runner why.
 *
 * <p>Thread-safe: JMH's thread reports starts and ends, a daemon thread checks the deadline.
 */
final class BenchmarkWatchdog implements AutoCloseable {

  static final String FORKED_MAIN = "org.openjdk.jmh.runner.ForkedMain";

  private final Thread thread;
  private final Set<String> killed = ConcurrentHashMap.newKeySet();
  private volatile long deadline = Long.MAX_VALUE;
  private volatile @Nullable String current;
  private volatile Duration limit = Duration.ofMinutes(10);
  private volatile boolean closed;

  BenchmarkWatchdog() {
    thread = new Thread(this::watch, "headroom-benchmark-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  /** The longest one benchmark (all its forks) may run from now on. */
  void limit(Duration value) {
    limit = value;
  }

  Duration limit() {
    return limit;
  }

  void started(String key) {
    current = key;
    deadline = System.nanoTime() + limit.toNanos();
  }

  void ended() {
    deadline = Long.MAX_VALUE;
    current = null;
  }

  /** Whether the watchdog killed the benchmark with this key. */
  boolean killed(String key) {
    return killed.contains(key);
  }

  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
      String key = current;
      if (key != null && System.nanoTime() - deadline > 0) {
        deadline = Long.MAX_VALUE;
        killed.add(key);
        killForks();
      }
    }
  }

  /** Destroys this JVM's JMH forks (and nothing else: Redis and its watchdog stay). */
  static void killForks() {
    ProcessHandle.current().children().filter(BenchmarkWatchdog::isFork).forEach(ProcessHandle::destroyForcibly);
  }

  static boolean isFork(ProcessHandle p) {
    Optional<String> commandLine = p.info().commandLine();
    return commandLine.map(c -> c.contains(FORKED_MAIN)).orElse(false);
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
