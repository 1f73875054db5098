package io.headroom.benchmarks.runner;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the short durations of the command line and progress lines. */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 2s} or {@code 1m}.
   *
   * @throws IllegalArgumentException if {@code text} is none of these or is zero
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(text + " (expected: a duration like 500ms, 2s or 1m)");
    }
    long amount = Long.parseLong(m.group(1));
    Duration d;
    switch (m.group(2)) {
      case "ms":
        d = Duration.ofMillis(amount);
        break;
      case "s":
        d = Duration.ofSeconds(amount);
        break;
      default:
        d = Duration.ofMinutes(amount);
        break;
    }
    if (d.isZero()) {
      throw new IllegalArgumentException(text + " (expected: > 0)");
    }
    return d;
  }

  /** {@code 850ms}, {@code 12s}, {@code 3m05s}, {@code 1h02m}. */
  public static String format(Duration d) {
    long millis = Math.max(0, d.toMillis());
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = Math.round(millis / 1000.0);
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }
}
