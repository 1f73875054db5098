package io.headroom.shedding.guard;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Binds a {@link Guard}'s counters and states to a Micrometer {@link MeterRegistry}. Micrometer
 * is an optional dependency of this module: this class is the only one that needs it, and only
 * when it is used.
 *
 * <p>Meters (all tagged {@code guard=<name>}): {@code headroom.guard.calls} with a
 * {@code result} tag ({@code success}, {@code failure}, {@code fallback});
 * {@code headroom.guard.timeouts}, {@code headroom.guard.retries},
 * {@code headroom.guard.retry.budget.denials}, {@code headroom.guard.rejections} with a
 * {@code by} tag ({@code breaker}, {@code shedder}), {@code headroom.guard.hedges} (function
 * counters); gauges {@code headroom.guard.retry.budget.balance} and, with a breaker,
 * {@code headroom.guard.breaker.state} (the {@link CircuitBreaker.State} ordinal) and
 * {@code headroom.guard.breaker.failure.rate}. Meters read the guard's counters when scraped;
 * binding costs nothing per call. Micrometer holds the objects behind function meters weakly:
 * keep a reference to the guard for as long as its meters should report.
 */
public final class GuardMetrics {
  private GuardMetrics() {}

  /** Registers the meters of {@code guard} under the tag {@code guard=name}. */
  public static void bind(Guard<?> guard, String name, MeterRegistry registry) {
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(registry, "registry");
    Tags tags = Tags.of("guard", name);
    counter(registry, "headroom.guard.calls", tags.and("result", "success"), guard.successes, "calls that returned a result");
    counter(registry, "headroom.guard.calls", tags.and("result", "failure"), guard.failures, "calls whose last attempt failed");
    counter(registry, "headroom.guard.calls", tags.and("result", "fallback"), guard.fallbacks, "failures replaced by the fallback");
    counter(registry, "headroom.guard.timeouts", tags, guard.timeouts, "attempts that timed out");
    counter(registry, "headroom.guard.retries", tags, guard.retries, "retries started");
    counter(registry, "headroom.guard.retry.budget.denials", tags, guard.budgetDenials, "retries and hedges denied by the budget");
    counter(registry, "headroom.guard.rejections", tags.and("by", "breaker"), guard.breakerRejections, "attempts refused by the circuit breaker");
    counter(registry, "headroom.guard.rejections", tags.and("by", "shedder"), guard.shedderRejections, "attempts refused by the load shedder");
    counter(registry, "headroom.guard.hedges", tags, guard.hedges, "hedges started");
    Gauge.builder("headroom.guard.retry.budget.balance", guard.budget, RetryBudget::balance)
        .tags(tags)
        .description("retries the budget still allows")
        .register(registry);
    CircuitBreaker breaker = guard.breaker;
    if (breaker != null) {
      Gauge.builder("headroom.guard.breaker.state", breaker, GuardMetrics::stateCode)
          .tags(tags.and("breaker", breaker.name()))
          .description("0 closed, 1 open, 2 half-open, 3 forced open, 4 disabled")
          .register(registry);
      Gauge.builder("headroom.guard.breaker.failure.rate", breaker, cb -> cb.snapshot().failureRatePercent())
          .tags(tags.and("breaker", breaker.name()))
          .description("failure rate in the closed-state window, percent")
          .baseUnit("percent")
          .register(registry);
    }
  }

  private static int stateCode(CircuitBreaker breaker) {
    return switch (breaker.state()) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
      case FORCED_OPEN -> 3;
      case DISABLED -> 4;
    };
  }

  private static void counter(MeterRegistry registry, String meter, Tags tags, LongAdder adder, String description) {
    FunctionCounter.builder(meter, adder, LongAdder::sum).tags(tags).description(description).register(registry);
  }
}
