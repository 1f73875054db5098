package io.headroom.benchmarks.scenario;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the runner gives a scenario: the mode, where to write, the seed, and Redis.
 *
 * <p>Immutable; the {@link RedisControl} it may carry is not thread-safe.
 */
public final class ScenarioContext {

  /**
   * Stops and restarts the Redis server the run owns, for outage scenarios. Absent when the run
   * measures an external server given by {@code REDIS_URL}, which it must not stop.
   */
  public interface RedisControl {
    /** Stops the server and waits until it no longer answers. */
    void stop();

    /** Starts it again on the same port and waits until it answers PING. */
    void restart();
  }

  private final boolean quick;
  private final Path outputDir;
  private final long seed;
  private final PrintStream log;
  private final @Nullable String redisUri;
  private final @Nullable RedisControl redisControl;

  public ScenarioContext(
      boolean quick,
      Path outputDir,
      long seed,
      PrintStream log,
      @Nullable String redisUri,
      @Nullable RedisControl redisControl) {
    this.quick = quick;
    this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
    this.seed = seed;
    this.log = Objects.requireNonNull(log, "log");
    this.redisUri = redisUri;
    this.redisControl = redisControl;
  }

  /** True for {@code --quick} (and the smoke test): shorten phases so the whole run stays short. */
  public boolean quick() {
    return quick;
  }

  /** The run's output directory; write CSV files here through {@link ScenarioResult.Builder#csv}. */
  public Path outputDir() {
    return outputDir;
  }

  /** The seed for every random source of the scenario, so two runs offer the same load. */
  public long seed() {
    return seed;
  }

  /** Where to print progress lines (sparingly). */
  public PrintStream log() {
    return log;
  }

  /** {@code redis://host:port} of the Redis this run measures against, if any. */
  public Optional<String> redisUri() {
    return Optional.ofNullable(redisUri);
  }

  /** Control over the run's own Redis server; empty when measuring an external one. */
  public Optional<RedisControl> redisControl() {
    return Optional.ofNullable(redisControl);
  }

  /** Scales a duration in milliseconds down in quick mode: {@code quick ? quickMillis : fullMillis}. */
  public long millis(long fullMillis, long quickMillis) {
    return quick ? quickMillis : fullMillis;
  }
}
