package io.headroom.benchmarks.runner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * A JMH {@link OutputFormat} that sends JMH's full text output to a log (the delegate), prints
 * one {@link Progress} line per benchmark to the terminal, and remembers which benchmarks
 * started and why those that failed did (JMH prints a {@code <failure>} block and, without
 * fail-on-error, goes on with the next benchmark).
 *
 * <p>Not thread-safe: JMH calls it from its runner thread.
 */
final class ProgressOutputFormat implements OutputFormat {

  private final OutputFormat delegate;
  private final Progress progress;
  private final double plannedSecondsPerRun;
  private final Map<String, BenchmarkParams> started = new LinkedHashMap<>();
  private final Map<String, String> failures = new LinkedHashMap<>();
  private @Nullable String current;
  private boolean inFailure;

  private final @Nullable BenchmarkWatchdog watchdog;

  ProgressOutputFormat(OutputFormat delegate, Progress progress, double plannedSecondsPerRun,
      @Nullable BenchmarkWatchdog watchdog) {
    this.delegate = delegate;
    this.progress = progress;
    this.plannedSecondsPerRun = plannedSecondsPerRun;
    this.watchdog = watchdog;
  }

  /** The key of a benchmark run: {@code class.method|mode|params}. */
  static String key(String benchmark, String mode, Map<String, String> params) {
    return benchmark + "|" + mode + "|" + new TreeMap<>(params);
  }

  static Map<String, String> params(BenchmarkParams params) {
    Map<String, String> map = new TreeMap<>();
    for (String k : params.getParamsKeys()) {
      map.put(k, params.getParam(k));
    }
    return map;
  }

  static String key(BenchmarkParams params) {
    return key(params.getBenchmark(), params.getMode().shortLabel(), params(params));
  }

  /** The benchmarks JMH started, in order. */
  List<BenchmarkParams> started() {
    return new ArrayList<>(started.values());
  }

  /** The first line of the failure JMH reported for {@code key}, if it reported one. */
  @Nullable String failure(String key) {
    return failures.get(key);
  }

  @Override
  public void startBenchmark(BenchmarkParams params) {
    String key = key(params);
    started.put(key, params);
    current = key;
    inFailure = false;
    Map<String, String> p = params(params);
    String name = params.getBenchmark();
    String label = name.startsWith("io.headroom.benchmarks.") ? name.substring("io.headroom.benchmarks.".length()) : name;
    progress.start(label + (p.isEmpty() ? "" : " " + p) + " (" + params.getMode().shortLabel() + ")",
        plannedSecondsPerRun);
    if (watchdog != null) {
      watchdog.started(key);
    }
    delegate.startBenchmark(params);
  }

  @Override
  public void endBenchmark(@Nullable BenchmarkResult result) {
    if (watchdog != null) {
      watchdog.ended();
    }
    progress.finishCurrent();
    delegate.endBenchmark(result);
  }

  @Override
  public void println(String s) {
    delegate.println(s);
    if (s.startsWith("<failure>")) {
      inFailure = true;
      return;
    }
    String key = current;
    if (inFailure && key != null && !s.isBlank() && !failures.containsKey(key)) {
      failures.put(key, firstLine(s));
    }
  }

  static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl).strip();
  }

  @Override
  public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
    delegate.iteration(benchParams, params, iteration);
  }

  @Override
  public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
    delegate.iterationResult(benchParams, params, iteration, data);
  }

  @Override
  public void startRun() {
    delegate.startRun();
  }

  @Override
  public void endRun(Collection<RunResult> result) {
    if (watchdog != null) {
      watchdog.ended();
    }
    progress.finishCurrent();
    delegate.endRun(result);
  }

  @Override
  public void print(String s) {
    delegate.print(s);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public void close() {
    delegate.flush(); // the log stream outlives one class's run; the runner closes it
  }

  @Override
  public void verbosePrintln(String s) {
    delegate.verbosePrintln(s);
  }

  @Override
  public void write(int b) {
    delegate.write(b);
  }

  @Override
  public void write(byte[] b) throws IOException {
    delegate.write(b);
  }
}
