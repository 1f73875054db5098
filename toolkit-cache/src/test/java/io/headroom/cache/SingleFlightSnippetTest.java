package io.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.cache.snippet.SingleFlight;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SingleFlightSnippetTest {

  private static final Path SOURCE = Path.of("src/main/java/io/headroom/cache/snippet/SingleFlight.java");

  @Test
  void theSnippetCompilesAloneWithTheJdkOnly(@TempDir Path out) throws Exception {
    String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
    assertThat(source).contains("<b>Copy-in snippet</b>");
    assertThat(source.lines().filter(l -> l.startsWith("import ")))
        .allSatisfy(l -> assertThat(l).startsWith("import java."));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = compiler.run(null, null, new PrintStream(err, true, StandardCharsets.UTF_8),
        "-classpath", "", "-sourcepath", "", "-Xlint:all", "-Werror", "-d", out.toString(), SOURCE.toString());
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(status).isZero();
    assertThat(out.resolve("io/headroom/cache/snippet/SingleFlight.class")).exists();
  }

  @Test
  void concurrentCallersShareOneLoadPerKeyUnderContention() throws Exception {
    SingleFlight<Integer, String> flights = new SingleFlight<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      int rounds = 200;
      AtomicInteger loads = new AtomicInteger();
      for (int r = 0; r < rounds; r++) {
        int key = r;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Future<String> owner = pool.submit(() -> flights.load(key, () -> {
          loads.incrementAndGet();
          entered.countDown();
          TieredCacheLocalTest.await(release);
          return "v" + key;
        }));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> joined = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          joined.add(pool.submit(() -> flights.load(key, () -> "other")));
          joined.add(pool.submit(() -> flights.loadAsync(key, () -> CompletableFuture.completedFuture("other")).get(10, TimeUnit.SECONDS)));
        }
        // The owner's load cannot finish before release: whoever is joined sees its value;
        // a caller that arrives after release starts a new load ("other"). Count exactly.
        release.countDown();
        assertThat(owner.get(10, TimeUnit.SECONDS)).isEqualTo("v" + key);
        for (Future<String> f : joined) {
          assertThat(f.get(10, TimeUnit.SECONDS)).isIn("v" + key, "other");
        }
      }
      assertThat(loads).hasValue(rounds);
      assertThat(flights.inFlight()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyJoinedCallerSeesTheLoadersException() throws Exception {
    SingleFlight<String, String> flights = new SingleFlight<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("boom");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<String> owner = pool.submit(() -> flights.load("k", () -> { entered.countDown(); TieredCacheLocalTest.await(release); throw boom; }));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<String> async = flights.loadAsync("k", () -> CompletableFuture.completedFuture("no"));
      assertThat(async).isNotDone(); // joined, never blocked
      release.countDown();
      assertThatThrownBy(() -> owner.get(10, TimeUnit.SECONDS)).hasCause(boom);
      assertThatThrownBy(() -> async.get(10, TimeUnit.SECONDS)).hasCause(boom);
      assertThat(flights.load("k", () -> "next")).isEqualTo("next");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void asyncLoadsOfOneKeyShareOneStart() throws Exception {
    SingleFlight<String, String> flights = new SingleFlight<>();
    CompletableFuture<String> source = new CompletableFuture<>();
    AtomicInteger starts = new AtomicInteger();
    int callers = 32;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CyclicBarrier barrier = new CyclicBarrier(callers);
      List<Future<CompletableFuture<String>>> fs = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        fs.add(pool.submit(() -> { barrier.await(10, TimeUnit.SECONDS); return flights.loadAsync("k", () -> { starts.incrementAndGet(); return source; }); }));
      }
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (Future<CompletableFuture<String>> f : fs) {
        futures.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(starts).hasValue(1);
      source.complete("v");
      for (CompletableFuture<String> f : futures) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
