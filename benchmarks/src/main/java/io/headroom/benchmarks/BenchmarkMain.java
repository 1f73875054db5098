package io.headroom.benchmarks;

import io.headroom.benchmarks.runner.RunnerOptions;
import io.headroom.benchmarks.runner.SuiteRunner;

/**
 * The entry point of {@code benchmarks.jar}: runs the suite and writes the report. See
 * {@link RunnerOptions#USAGE} (or {@code --help}) for the command line, and
 * {@code benchmarks/README.md} for how to read the report.
 *
 * <p>Exit status: 0 when everything passed, 1 when a benchmark or scenario failed, 2 for a bad
 * command line.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) {
    int status = SuiteRunner.execute(args, System.out, System.err, System.getenv());
    System.out.flush();
    System.exit(status);
  }
}
