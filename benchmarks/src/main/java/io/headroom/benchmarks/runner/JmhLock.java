package io.headroom.benchmarks.runner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Waits for JMH's machine-wide lock ({@code <tmpdir>/jmh.lock}) to be free. JMH refuses to start
 * while another JMH run holds it; instead of failing every question, the runner waits its turn
 * (and says so), then lets JMH take the lock.
 *
 * <p>Stateless and thread-safe.
 */
final class JmhLock {
  private JmhLock() {}

  static Path file() {
    return Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
  }

  /** Whether another process holds the lock right now (false if it cannot be checked). */
  static boolean heldElsewhere(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return false; // held by this JVM: not a reason to wait
    } catch (IOException e) {
      return false; // JMH will report what is wrong with the file
    }
  }

  /**
   * Waits until the lock is free or {@code maxWait} has passed, calling {@code onWait} once if it
   * has to wait. Returns how long it waited. Does not wait with {@code -Djmh.ignoreLock=true}.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  static Duration awaitFree(Path file, Duration maxWait, Duration poll, Runnable onWait) throws InterruptedException {
    if (Boolean.getBoolean("jmh.ignoreLock")) {
      return Duration.ZERO;
    }
    long start = System.nanoTime();
    boolean announced = false;
    while (heldElsewhere(file)) {
      if (System.nanoTime() - start >= maxWait.toNanos()) {
        break;
      }
      if (!announced) {
        onWait.run();
        announced = true;
      }
      Thread.sleep(poll.toMillis());
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
