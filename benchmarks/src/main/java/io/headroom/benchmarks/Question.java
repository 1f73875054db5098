package io.headroom.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The question a JMH benchmark class answers, e.g. "What does an L1 hit cost next to raw
 * Caffeine?". One class per question.
 *
 * <p>Convention the report relies on: in a class with this annotation, the {@code @Benchmark}
 * methods whose names start with {@code headroom} measure Headroom; every other
 * {@code @Benchmark} method measures a peer (or the direct call, named {@code direct...}). The
 * report gives, for each set of {@code @Param} values, the ratio of every peer to Headroom.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Question {
  /** The question, one sentence ending in a question mark. */
  String value();

  /** The goal the module's issue sets, e.g. "headroom ≤ 1.2× caffeine, 0 B/op"; empty if none. */
  String goal() default "";

  /**
   * {@code @Param} names the peers' results do not depend on (e.g. {@code "algorithm"} in a class
   * whose peers ignore the algorithm Headroom is configured with). The runner measures the peers
   * at the first value of each such parameter only, and repeats their figures for the other
   * values so every Headroom result still has its peers beside it; the report says so. Saves
   * runs that would measure the same code again.
   */
  String[] peersIndependentOf() default {};
}
