package io.headroom.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {

  @TempDir Path dir;

  @Test
  void readsTheCpuModelOfX86AndArm() throws Exception {
    Path x86 = Files.writeString(dir.resolve("x86"),
        "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC   7B13 64-Core Processor\n");
    Path arm = Files.writeString(dir.resolve("arm"), "processor\t: 0\nBogoMIPS\t: 108.00\n\nModel\t\t: Raspberry Pi 4\n");
    assertThat(Environment.cpuModel(x86)).contains("AMD EPYC 7B13 64-Core Processor");
    assertThat(Environment.cpuModel(arm)).contains("Raspberry Pi 4");
    assertThat(Environment.cpuModel(dir.resolve("absent"))).isEmpty();
  }

  @Test
  void readsTotalMemory() throws Exception {
    Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal:       16318520 kB\nMemFree: 1 kB\n");
    assertThat(Environment.memTotal(meminfo)).contains("15.6 GiB");
  }

  @Test
  void describesJdkOsCpusAndDate() {
    var env = Environment.describe(Instant.parse("2026-11-29T02:00:00Z"));
    assertThat(env).containsKeys("Date", "JDK", "OS", "CPU", "CPUs (available to the JVM)", "JMH");
    assertThat(env.get("Date")).isEqualTo("2026-11-29T02:00:00Z");
    assertThat(env.get("JDK")).contains(System.getProperty("java.runtime.version"));
    assertThat(env.get("CPUs (available to the JVM)"))
        .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
    assertThat(env.get("JMH")).isEqualTo("1.37");
  }
}
