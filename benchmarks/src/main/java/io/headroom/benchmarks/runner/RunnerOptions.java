package io.headroom.benchmarks.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The runner's command line, parsed. Immutable.
 *
 * @param action what to do: run the suite, list it, or print the usage
 * @param profile how hard to measure
 * @param includes patterns that select benchmarks (by {@code class.method}) and scenarios (by
 *     id); empty selects everything
 * @param outputRoot where the timestamped results directory goes; empty for the default
 * @param gcProfiler whether JMH's GC profiler runs, giving bytes allocated per operation
 * @param runBenchmarks whether JMH benchmarks run
 * @param runScenarios whether scenarios run
 * @param benchmarkTimeout how long one benchmark may run before its fork is killed; empty for
 *     the default, a generous multiple of the plan
 */
public record RunnerOptions(
    Action action,
    RunProfile profile,
    List<Pattern> includes,
    Optional<Path> outputRoot,
    boolean gcProfiler,
    boolean runBenchmarks,
    boolean runScenarios,
    Optional<Duration> benchmarkTimeout) {

  /** What the command line asks for. */
  public enum Action {
    RUN,
    LIST,
    HELP
  }

  public RunnerOptions {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(profile, "profile");
    includes = List.copyOf(includes);
    Objects.requireNonNull(outputRoot, "outputRoot");
    Objects.requireNonNull(benchmarkTimeout, "benchmarkTimeout");
  }

  /** The usage text that {@code --help} and every usage error print. */
  public static final String USAGE = String.join("\n",
      "Usage: java -jar benchmarks/target/benchmarks.jar [options]",
      "",
      "Runs Headroom's JMH benchmarks (one class per question, peers in the same class) and its",
      "scenarios, then writes benchmarks/results/<timestamp>/ with report.md, report.html, the raw",
      "JMH JSON and the scenarios' CSV series.",
      "",
      "Modes (default: full):",
      "  --quick                 the whole suite in about 10 minutes on 2 cores: 1 fork, 1 warmup",
      "                          + 2 measured iterations of 1 s (shortened to fit the budget),",
      "                          scenarios in quick mode",
      "  --full                  JMH's usual rigour: 3 forks, 5 warmup + 5 measured iterations of",
      "                          2 s, scenarios in full mode",
      "  --smoke                 a tiny run for the smoke test: 1 fork, no warmup, 1 iteration of",
      "                          100 ms, scenarios in quick mode",
      "",
      "Selection:",
      "  --include REGEX         run only benchmarks whose class.method and scenarios whose id",
      "                          contain a match of REGEX (repeatable: any may match)",
      "  --benchmarks-only       skip the scenarios",
      "  --scenarios-only        skip the JMH benchmarks",
      "  --list                  list the selected questions, benchmarks and scenarios, then exit",
      "",
      "Tuning (override the mode):",
      "  --forks N               JMH forks per benchmark (N >= 1)",
      "  --warmups N             warmup iterations per fork (N >= 0)",
      "  --iterations N          measured iterations per fork (N >= 1)",
      "  --time DURATION         length of one iteration, e.g. 500ms, 2s",
      "  --scenario-timeout DURATION",
      "                          a scenario running longer is stopped and marked failed",
      "  --benchmark-timeout DURATION",
      "                          a benchmark running longer (all forks) has its fork killed and is",
      "                          marked failed (default: 2 min + 3 x its planned iterations, per fork)",
      "  --no-gc                 do not run JMH's GC profiler (no B/op column)",
      "  --out DIR               write results/<timestamp>/ under DIR instead of benchmarks/results",
      "",
      "Environment:",
      "  REDIS_URL               measure against this Redis (redis://host:port) instead of",
      "                          starting one (redis-server on the PATH, else the embedded binary)",
      "",
      "  -h, --help              print this help",
      "",
      "Exit status: 0 all passed, 1 something failed (see the report), 2 bad command line.");

  /**
   * Parses the arguments.
   *
   * @throws UsageException for an unknown flag, a missing or bad value, or conflicting flags
   */
  public static RunnerOptions parse(String... args) throws UsageException {
    Action action = Action.RUN;
    @Nullable String mode = null;
    @Nullable Integer forks = null;
    @Nullable Integer warmups = null;
    @Nullable Integer iterations = null;
    @Nullable Duration time = null;
    @Nullable Duration scenarioTimeout = null;
    @Nullable Duration benchmarkTimeout = null;
    List<Pattern> includes = new ArrayList<>();
    @Nullable Path out = null;
    boolean gc = true;
    boolean benchmarksOnly = false;
    boolean scenariosOnly = false;

    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h":
        case "--help":
          action = Action.HELP;
          break;
        case "--list":
          if (action != Action.HELP) {
            action = Action.LIST;
          }
          break;
        case "--quick":
        case "--full":
        case "--smoke":
          if (mode != null && !mode.equals(arg)) {
            throw new UsageException(mode + " and " + arg + " conflict: choose one mode");
          }
          mode = arg;
          break;
        case "--include":
          String regex = value(args, ++i, arg);
          try {
            includes.add(Pattern.compile(regex));
          } catch (PatternSyntaxException e) {
            throw new UsageException("--include: " + regex + " is not a regular expression: "
                + e.getDescription());
          }
          break;
        case "--forks":
          forks = intValue(args, ++i, arg, 1);
          break;
        case "--warmups":
          warmups = intValue(args, ++i, arg, 0);
          break;
        case "--iterations":
          iterations = intValue(args, ++i, arg, 1);
          break;
        case "--time":
          time = durationValue(args, ++i, arg);
          break;
        case "--scenario-timeout":
          scenarioTimeout = durationValue(args, ++i, arg);
          break;
        case "--benchmark-timeout":
          benchmarkTimeout = durationValue(args, ++i, arg);
          break;
        case "--out":
          out = Path.of(value(args, ++i, arg));
          break;
        case "--no-gc":
          gc = false;
          break;
        case "--benchmarks-only":
          benchmarksOnly = true;
          break;
        case "--scenarios-only":
          scenariosOnly = true;
          break;
        default:
          throw new UsageException("unknown option: " + arg);
      }
    }
    if (benchmarksOnly && scenariosOnly) {
      throw new UsageException("--benchmarks-only and --scenarios-only conflict: choose one");
    }

    RunProfile profile;
    if ("--quick".equals(mode)) {
      profile = RunProfile.quick();
    } else if ("--smoke".equals(mode)) {
      profile = RunProfile.smoke();
    } else {
      profile = RunProfile.full();
    }
    if (forks != null) {
      profile = profile.withForks(forks);
    }
    if (warmups != null) {
      profile = profile.withWarmupIterations(warmups);
    }
    if (iterations != null) {
      profile = profile.withMeasurementIterations(iterations);
    }
    if (time != null) {
      profile = profile.withIterationTime(time);
    }
    if (scenarioTimeout != null) {
      profile = profile.withScenarioTimeout(scenarioTimeout);
    }
    return new RunnerOptions(
        action, profile, includes, Optional.ofNullable(out), gc, !scenariosOnly, !benchmarksOnly,
        Optional.ofNullable(benchmarkTimeout));
  }

  /** Whether {@code name} is selected by the {@code --include} patterns. */
  public boolean selects(String name) {
    if (includes.isEmpty()) {
      return true;
    }
    for (Pattern p : includes) {
      if (p.matcher(name).find()) {
        return true;
      }
    }
    return false;
  }

  private static String value(String[] args, int index, String flag) throws UsageException {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return args[index];
  }

  private static int intValue(String[] args, int index, String flag, int min) throws UsageException {
    String text = value(args, index, flag);
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + ": " + text + " (expected: an integer >= " + min + ")");
    }
    if (n < min) {
      throw new UsageException(flag + ": " + n + " (expected: >= " + min + ")");
    }
    return n;
  }

  private static Duration durationValue(String[] args, int index, String flag) throws UsageException {
    String text = value(args, index, flag);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag + ": " + e.getMessage());
    }
  }
}
