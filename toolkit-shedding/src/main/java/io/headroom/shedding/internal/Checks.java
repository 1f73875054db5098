package io.headroom.shedding.internal;

import java.time.Duration;
import java.util.Objects;

/** Validation helpers for builders: messages name the setting and the value. Not API. */
public final class Checks {
  private Checks() {}

  public static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  public static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
    }
    return value;
  }

  public static double positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0 and finite)");
    }
    return value;
  }

  /** A fraction in (0, 1]. */
  public static double fraction(String name, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: in (0, 1])");
    }
    return value;
  }

  /** A fraction in (0, 1). */
  public static double openFraction(String name, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: in (0, 1))");
    }
    return value;
  }

  public static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  public static Duration notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
    return value;
  }

  /** Checks {@code min <= initial <= max} for the three limit settings. */
  public static void limits(int min, int initial, int max) {
    positive("minLimit", min);
    positive("maxLimit", max);
    if (min > max) {
      throw new IllegalArgumentException(
          "minLimit: " + min + " (expected: <= maxLimit " + max + ")");
    }
    if (initial < min || initial > max) {
      throw new IllegalArgumentException(
          "initialLimit: " + initial + " (expected: in [" + min + ", " + max + "])");
    }
  }

  /** Saturating conversion of a duration to nanoseconds. */
  public static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
