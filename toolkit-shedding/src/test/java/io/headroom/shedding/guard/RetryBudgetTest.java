package io.headroom.shedding.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RetryBudgetTest {
  private final ManualTicker ticker = new ManualTicker();

  private RetryBudget budget(double ratio, double minPerSecond) {
    return RetryBudget.builder()
        .ratio(ratio)
        .minRetriesPerSecond(minPerSecond)
        .window(Duration.ofSeconds(10))
        .ticker(ticker)
        .build();
  }

  private static int drain(RetryBudget budget) {
    int granted = 0;
    while (budget.tryWithdraw()) {
      granted++;
    }
    return granted;
  }

  @Test
  void retriesAreATenthOfFirstAttempts() {
    RetryBudget budget = budget(0.1, 0);
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    assertThat(drain(budget)).isEqualTo(10);
    assertThat(budget.denied()).isEqualTo(1);
    assertThat(budget.withdrawn()).isEqualTo(10);
  }

  @Test
  void theMinimumPerSecondIsAvailableWithoutTraffic() {
    RetryBudget budget = budget(0.1, 5);
    assertThat(budget.balance()).isEqualTo(50.0);
    assertThat(drain(budget)).isEqualTo(50);
    for (int i = 0; i < 30; i++) {
      budget.deposit();
    }
    assertThat(drain(budget)).isEqualTo(3);
  }

  @Test
  void depositsAndWithdrawalsLeaveTheWindowAfterItsLength() {
    RetryBudget budget = budget(0.5, 0);
    for (int i = 0; i < 20; i++) {
      budget.deposit();
    }
    assertThat(drain(budget)).isEqualTo(10);
    ticker.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 20; i++) {
      budget.deposit();
    }
    assertThat(drain(budget)).isEqualTo(10);
    // The first 20 deposits and 10 withdrawals expire; the second batch is still inside.
    ticker.advance(Duration.ofMillis(5_500));
    assertThat(budget.balance()).isEqualTo(0.0);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(budget.balance()).isEqualTo(0.0);
    for (int i = 0; i < 4; i++) {
      budget.deposit();
    }
    assertThat(drain(budget)).isEqualTo(2);
  }

  @Test
  void concurrentWithdrawalsNeverExceedTheBudget() throws Exception {
    RetryBudget budget = budget(0.1, 0);
    for (int i = 0; i < 10_000; i++) {
      budget.deposit();
    }
    int threads = 8;
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 500; i++) {
                  if (budget.tryWithdraw()) {
                    granted.incrementAndGet();
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(granted.get()).isLessThanOrEqualTo(1_000);
    // Whatever collisions denied concurrently is still there afterwards: exactly 1000 in all.
    assertThat(granted.get() + drain(budget)).isEqualTo(1_000);
    assertThat(budget.withdrawn()).isEqualTo(1_000);
  }

  @Test
  void unlimitedNeverDenies() {
    RetryBudget budget = RetryBudget.unlimited();
    for (int i = 0; i < 1_000; i++) {
      assertThat(budget.tryWithdraw()).isTrue();
    }
    assertThat(budget.balance()).isInfinite();
  }

  @Test
  void badSettingsFailAtBuild() {
    assertThatThrownBy(() -> RetryBudget.builder().ratio(-0.1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratio: -0.1 (expected: 0..1000)");
    assertThatThrownBy(() -> RetryBudget.builder().ratio(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratio: NaN (expected: 0..1000)");
    assertThatThrownBy(() -> RetryBudget.builder().minRetriesPerSecond(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minRetriesPerSecond: -1.0 (expected: 0..1e9)");
    assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ofMillis(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: PT0.001S (expected: 10ms..1d)");
    assertThatThrownBy(() -> RetryBudget.builder().window(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("window");
  }

  @Test
  void buildCopiesTheSettings() {
    RetryBudget.Builder builder = RetryBudget.builder().ratio(0.1).minRetriesPerSecond(0).ticker(ticker);
    RetryBudget first = builder.build();
    builder.ratio(1.0);
    for (int i = 0; i < 10; i++) {
      first.deposit();
    }
    assertThat(drain(first)).isEqualTo(1);
  }
}
