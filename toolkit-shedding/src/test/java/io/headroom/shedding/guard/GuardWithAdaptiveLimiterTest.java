package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.shedding.AdaptiveLimiter;
import io.headroom.shedding.FixedLimit;
import io.headroom.shedding.Priority;
import io.headroom.shedding.RejectedException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The guard's load-shedder stage with the module's real limiter (part 1), not a test double. */
@Timeout(60)
class GuardWithAdaptiveLimiterTest {

  @Test
  void permitsFollowTheDocumentedRuleAndRejectionsReachTheFallback() throws Exception {
    AdaptiveLimiter limiter = AdaptiveLimiter.newBuilder().limit(FixedLimit.of(1)).build();
    Guard<String> guard =
        Guard.<String>builder()
            .fallback(Fallback.<String>builder().on(RejectedException.class, e -> "shed").build())
            .loadShedder(limiter, Priority.CRITICAL)
            .timeout(TimeoutPolicy.of(Duration.ofMillis(20)))
            .build();
    assertThat(guard.call(() -> "ok")).isEqualTo("ok");
    assertThatThrownBy(() -> guard.call(() -> {
      Thread.sleep(30_000);
      return "late";
    })).isInstanceOf(CallTimeoutException.class);
    assertThatThrownBy(() -> guard.call(() -> { throw new IOException(); })).isInstanceOf(IOException.class);
    assertThat(limiter.snapshot().dropped()).isEqualTo(1); // only the timeout lowers the limit
    assertThat(limiter.inFlight()).isZero();

    // Hold the only permit with an async call; the next call is shed and falls back.
    CompletableFuture<String> holder = new CompletableFuture<>();
    CompletableFuture<String> held = guard.callAsync(() -> holder);
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(guard.call(() -> "never")).isEqualTo("shed");
    assertThat(guard.snapshot().shedderRejections()).isEqualTo(1);
    holder.complete("done");
    assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(limiter.inFlight()).isZero();
  }
}
