package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void printsOneLinePerUnitWithWhatIsLeftAndAnEstimateScaledByThePaceSoFar() {
    AtomicLong now = new AtomicLong();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Progress progress = new Progress(out, now::get, 4, 40);

    progress.start("a", 10);
    now.addAndGet(20 * SECOND); // twice as slow as planned
    progress.start("b", 10);
    now.addAndGet(20 * SECOND);
    progress.start("c", 10);
    now.addAndGet(5 * SECOND);
    progress.finishCurrent();
    progress.start("d", 10);

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).containsExactly(
        "[1/4] a · 3 left · ~40s left",
        "[2/4] b · 2 left · ~1m00s left",
        "[3/4] c · 1 left · ~40s left",
        "[4/4] d · 0 left · ~15s left");
  }

  @Test
  void skippedUnitsLeaveThePlan() {
    AtomicLong now = new AtomicLong();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get, 3, 30);
    progress.skip(2, 20);
    progress.start("last", 10);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[3/3] last · 0 left · ~10s left\n");
  }
}
