package io.headroom.benchmarks.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the report says about the machine: JDK, OS, CPU model and count, memory, load. */
public final class Environment {
  private Environment() {}

  /** The environment of this JVM and machine, in report order. */
  public static Map<String, String> describe(Instant date) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("Date", date.toString());
    env.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.vm.vendor") + ")");
    env.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
        + " (" + System.getProperty("os.arch") + ")");
    env.put("CPU", cpuModel(Path.of("/proc/cpuinfo")).orElse("unknown"));
    env.put("CPUs (available to the JVM)", Integer.toString(Runtime.getRuntime().availableProcessors()));
    memTotal(Path.of("/proc/meminfo")).ifPresent(m -> env.put("Memory", m));
    loadAverage().ifPresent(l -> env.put("Load average at start (1, 5, 15 min)", l));
    env.put("JMH", org.openjdk.jmh.util.Version.getPlainVersion());
    return env;
  }

  /** The first {@code model name} (x86) or {@code Model}/{@code Hardware} (ARM) in cpuinfo. */
  static Optional<String> cpuModel(Path cpuinfo) {
    List<String> lines = readLines(cpuinfo);
    for (String key : List.of("model name", "Model", "Hardware", "cpu model")) {
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
          String value = line.substring(colon + 1).trim().replaceAll("\\s+", " ");
          if (!value.isEmpty()) {
            return Optional.of(value);
          }
        }
      }
    }
    return Optional.empty();
  }

  static Optional<String> memTotal(Path meminfo) {
    for (String line : readLines(meminfo)) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
        try {
          long kb = Long.parseLong(parts[0]);
          return Optional.of(String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, if readable. */
  public static Optional<String> loadAverage() {
    List<String> lines = readLines(Path.of("/proc/loadavg"));
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = lines.get(0).trim().split("\\s+");
    return parts.length >= 3 ? Optional.of(parts[0] + ", " + parts[1] + ", " + parts[2]) : Optional.empty();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
