package io.headroom.benchmarks.report;

import java.util.Locale;

/** Formats scores and ratios for humans: three significant digits, no exponent. */
public final class Numbers {
  private Numbers() {}

  /** {@code 0.00123}, {@code 1.23}, {@code 12.3}, {@code 123}, {@code 12345}. */
  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    int decimals = Math.min(10, 2 - (int) Math.floor(Math.log10(a)));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** {@code 1.23×}. */
  public static String ratio(double r) {
    return format(r) + "×";
  }
}
