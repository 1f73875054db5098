package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JmhLockIT {

  @TempDir Path dir;

  /** Holds an exclusive lock on {@code file} from another process, as another JMH run would. */
  private static Process holdLock(Path file) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String source = "import java.nio.channels.*; import java.nio.file.*;"
        + " public class Hold { public static void main(String[] a) throws Exception {"
        + " FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);"
        + " c.lock(); System.out.println(\"locked\"); System.out.flush(); Thread.sleep(Long.parseLong(a[1])); } }";
    Path src = java.nio.file.Files.writeString(file.resolveSibling("Hold.java"), source);
    Process p = new ProcessBuilder(javaBin, src.toString(), file.toString(), "1500").start();
    byte[] line = p.getInputStream().readNBytes(6);
    assertThat(new String(line, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("locked");
    return p;
  }

  @Test
  void aFreeLockDoesNotWait() throws Exception {
    AtomicInteger announced = new AtomicInteger();
    Path file = dir.resolve("jmh.lock");
    assertThat(JmhLock.heldElsewhere(file)).isFalse();
    Duration waited = JmhLock.awaitFree(file, Duration.ofSeconds(5), Duration.ofMillis(50), announced::incrementAndGet);
    assertThat(waited).isLessThan(Duration.ofSeconds(1));
    assertThat(announced).hasValue(0);
  }

  @Test
  void waitsWhileAnotherProcessHoldsTheLockAndAnnouncesItOnce() throws Exception {
    Path file = dir.resolve("jmh.lock");
    Process holder = holdLock(file);
    try {
      assertThat(JmhLock.heldElsewhere(file)).isTrue();
      AtomicInteger announced = new AtomicInteger();
      JmhLock.awaitFree(file, Duration.ofSeconds(30), Duration.ofMillis(50), announced::incrementAndGet);
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue(); // it released the lock by exiting
      assertThat(JmhLock.heldElsewhere(file)).isFalse();
      assertThat(announced).hasValue(1);
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void givesUpAfterTheLongestWait() throws Exception {
    Path file = dir.resolve("jmh.lock");
    Process holder = holdLock(file);
    try {
      Duration waited = JmhLock.awaitFree(file, Duration.ofMillis(300), Duration.ofMillis(50), () -> { });
      assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(JmhLock.heldElsewhere(file)).isTrue();
    } finally {
      holder.destroyForcibly();
    }
  }
}
