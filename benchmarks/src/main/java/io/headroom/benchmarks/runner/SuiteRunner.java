package io.headroom.benchmarks.runner;

import io.headroom.benchmarks.report.BenchmarkOutcome;
import io.headroom.benchmarks.report.QuestionOutcome;
import io.headroom.benchmarks.report.ReportWriter;
import io.headroom.benchmarks.report.RunRecord;
import io.headroom.benchmarks.report.ScenarioOutcome;
import io.headroom.benchmarks.report.TerminalSummary;
import io.headroom.benchmarks.runner.BenchmarkCatalog.BenchmarkClass;
import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the suite: the selected JMH classes one at a time (each question's benchmarks in one JMH
 * run, with its raw JSON kept), then the selected scenarios, rewriting the report after each, and
 * prints the summary. A benchmark or scenario that fails is recorded as failed and the run goes
 * on; Ctrl-C leaves the partial report and stops the run's Redis.
 *
 * <p>One instance runs once, on one thread (plus the shutdown hook, which only writes the report
 * and stops Redis).
 */
public final class SuiteRunner {

  /** The system property the forked benchmark JVMs find the run's Redis under. */
  public static final String REDIS_URI_PROPERTY = "headroom.redis.uri";
  /** The seed every scenario gets. */
  public static final long SEED = 20_251_129L;

  /**
   * JVM start, JMH setup and teardown per fork, a guess for the first estimate (measured about
   * 0.6 s on a quiet 2-core machine; quick mode re-fits with the observed cost after each class).
   */
  static final double FORK_OVERHEAD_SECONDS = 1.5;

  /**
   * What one scenario is planned to take in quick mode (the twelve took 64 s in all, at most 19 s
   * each, on a quiet 2-core machine) and in full mode.
   */
  static final double QUICK_SCENARIO_SECONDS = 10;
  static final double FULL_SCENARIO_SECONDS = 120;

  private static final DateTimeFormatter DIR_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final RunnerOptions options;
  private final Map<String, String> env;
  private final PrintStream out;
  private final BenchmarkCatalog catalog;
  private final ScenarioCatalog scenarios;
  private final Object reportLock = new Object();
  private RunProfile profile;
  private @Nullable RunRecord record;
  private @Nullable ReportWriter writer;
  private @Nullable RunRedis redis;
  private @Nullable Path resultsDir;
  private @Nullable BenchmarkWatchdog watchdog;

  SuiteRunner(RunnerOptions options, Map<String, String> env, PrintStream out,
      BenchmarkCatalog catalog, ScenarioCatalog scenarios) {
    this.options = options;
    this.env = Map.copyOf(env);
    this.out = out;
    this.catalog = catalog;
    this.scenarios = scenarios;
    this.profile = options.profile();
  }

  /**
   * Runs the command line and returns the exit status: 0 when everything passed, 1 when a
   * benchmark or scenario failed, 2 for a bad command line.
   */
  public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    RunnerOptions options;
    try {
      options = RunnerOptions.parse(args);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println();
      err.println(RunnerOptions.USAGE);
      return 2;
    }
    if (options.action() == RunnerOptions.Action.HELP) {
      out.println(RunnerOptions.USAGE);
      return 0;
    }
    BenchmarkCatalog catalog;
    try {
      catalog = options.runBenchmarks() ? BenchmarkCatalog.load(options) : BenchmarkCatalog.of(List.of(), options);
    } catch (RuntimeException e) { // a broken META-INF/BenchmarkList: the jar needs rebuilding
      err.println("error: cannot read the JMH benchmark list: " + e.getMessage());
      return 1;
    }
    ScenarioCatalog scenarios = options.runScenarios() ? ScenarioCatalog.load(options) : ScenarioCatalog.empty();
    SuiteRunner runner = new SuiteRunner(options, env, out, catalog, scenarios);
    if (options.action() == RunnerOptions.Action.LIST) {
      runner.list();
      return 0;
    }
    if (catalog.runCount() == 0 && scenarios.size() == 0) {
      err.println("Nothing to run: no benchmark or scenario"
          + (options.includes().isEmpty() ? " in this jar." : " matches --include. See --list."));
      return 1;
    }
    try {
      return runner.run();
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  void list() {
    out.println("Questions (JMH classes): " + catalog.classes().size() + ", benchmark runs: " + catalog.runCount());
    for (BenchmarkClass c : catalog.classes()) {
      out.println();
      out.println(c.question() + "  [" + c.className() + "]");
      if (!c.goal().isEmpty()) {
        out.println("  goal: " + c.goal());
      }
      for (BenchmarkListEntry e : c.entries()) {
        String params = e.getParams().hasValue()
            ? " " + e.getParams().get().entrySet().stream()
                .map(p -> p.getKey() + "=" + String.join("|", p.getValue()))
                .collect(Collectors.joining(" "))
            : "";
        String method = e.getUsername().substring(e.getUsername().lastIndexOf('.') + 1);
        out.println("  " + (BenchmarkOutcome.isHeadroomMethod(method) ? "* " : "  ") + method
            + " (" + e.getMode().shortLabel() + ")" + params);
      }
    }
    out.println();
    out.println("Scenarios: " + scenarios.size());
    for (Scenario s : scenarios.scenarios()) {
      out.println("  " + s.id() + (s.needsRedis() ? " [Redis]" : "") + ": " + s.question());
    }
    for (ScenarioCatalog.Broken b : scenarios.broken()) {
      out.println("  " + b.name() + ": cannot be loaded: " + b.reason());
    }
    out.println();
    out.println("(* = Headroom; the other methods are the peers it is compared with)");
  }

  int run() throws IOException {
    Instant start = Instant.now();
    profile = fitToBudget(profile);
    Path dir = createResultsDir(start);
    resultsDir = dir;
    RunRecord rec = new RunRecord(start, settings());
    record = rec;
    writer = new ReportWriter(dir);
    Environment.describe(start).forEach(rec::environment);
    if (!profile.equals(options.profile())) {
      rec.note("Iterations shortened from " + options.profile().iterationTime().toMillis() + " ms to "
          + profile.iterationTime().toMillis() + " ms to fit the " + Durations.format(profile.jmhBudget())
          + " quick budget.");
    }

    int runs = catalog.runCount();
    double perRun = plannedSecondsPerRun(profile);
    double perScenario = profile.quickScenarios() ? QUICK_SCENARIO_SECONDS : FULL_SCENARIO_SECONDS;
    out.println("Headroom benchmarks: " + catalog.classes().size() + " question(s) (" + runs + " benchmark run(s)), "
        + scenarios.size() + " scenario(s)");
    out.println("Mode: " + profile.describe());
    Duration estimate = Duration.ofMillis(Math.round((runs * perRun + scenarios.size() * perScenario) * 1000));
    out.println("Estimated time: ~" + Durations.format(estimate) + "; results: " + dir);
    if (!profile.jmhBudget().isZero() && estimate.compareTo(profile.jmhBudget()) > 0) {
      String warning = "The selection does not fit the " + Durations.format(profile.jmhBudget())
          + " quick budget even with " + profile.iterationTime().toMillis() + " ms iterations (estimated "
          + Durations.format(estimate) + "); use --include to run part of it.";
      rec.note(warning);
      out.println("warning: " + warning);
    }

    if (runs > 0 || scenarios.needsRedis()) {
      redis = openRedis(rec);
    }
    RunRedis r = redis;
    rec.environment("Redis", r == null ? "none" : r.description());

    Thread hook = new Thread(this::onInterrupt, "headroom-benchmarks-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    writeReport();

    Progress progress = new Progress(out, System::nanoTime, runs + scenarios.size(),
        runs * perRun + scenarios.size() * perScenario);
    Path log = dir.resolve("jmh.log");
    try (OutputStream logFile = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        PrintStream logStream = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
      OutputFormat jmhLog = OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL);
      watchdog = new BenchmarkWatchdog();
      long jmhStart = System.nanoTime();
      long waitedNanos = 0;
      double iterationSecondsSpent = 0;
      int runsDone = 0;
      for (BenchmarkClass c : catalog.classes()) {
        if (rec.status() != RunRecord.Status.RUNNING) {
          break;
        }
        waitedNanos += awaitJmhLock().toNanos();
        RunProfile classProfile = profile;
        if (!profile.jmhBudget().isZero() && runsDone > 0) {
          // Quick mode: re-fit the iterations to the budget left, with the fork cost observed so far.
          double elapsed = (System.nanoTime() - jmhStart - waitedNanos) / 1e9;
          RunProfile base = options.profile();
          double overhead = Math.max(0, (elapsed - iterationSecondsSpent) / runsDone / base.forks());
          classProfile = refit(base, overhead, runs - runsDone,
              jmhSeconds(profile, scenarios.size()) - elapsed);
        }
        watchdog.limit(options.benchmarkTimeout().orElse(benchmarkTimeout(classProfile)));
        rec.add(runClass(c, classProfile, jmhLog, progress, plannedSecondsPerRun(classProfile)));
        writeReport();
        runsDone += c.runCount();
        iterationSecondsSpent += c.runCount() * classProfile.forks()
            * (classProfile.warmupIterations() + classProfile.measurementIterations())
            * classProfile.iterationTime().toMillis() / 1000.0;
      }
    } finally {
      BenchmarkWatchdog dog = watchdog;
      if (dog != null) {
        dog.close();
      }
    }
    for (ScenarioCatalog.Broken b : scenarios.broken()) {
      rec.add(new ScenarioOutcome(b.name(), "(could not be loaded)", ".", null, "cannot load: " + b.reason(), 0));
    }
    for (Scenario s : scenarios.scenarios()) {
      if (rec.status() != RunRecord.Status.RUNNING) {
        break;
      }
      progress.start("scenario " + s.id(), perScenario);
      rec.add(runScenario(s));
      progress.finishCurrent();
      writeReport();
    }

    rec.environment("Load average at end (1, 5, 15 min)", Environment.loadAverage().orElse("unknown"));
    boolean completed = rec.finish(RunRecord.Status.COMPLETE);
    writeReport();
    RunRecord.Snapshot snapshot = rec.snapshot();
    out.print(TerminalSummary.render(snapshot, dir.toString()));
    out.flush();
    closeRedis();
    if (completed) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting (Ctrl-C at the very end); the hook will find the run complete.
      }
    }
    return snapshot.failedCount() > 0 ? 1 : 0;
  }

  private String settings() {
    StringBuilder sb = new StringBuilder(profile.describe());
    if (!options.includes().isEmpty()) {
      sb.append("; --include ").append(options.includes().stream().map(Pattern::pattern)
          .collect(Collectors.joining(" --include ")));
    }
    sb.append(options.gcProfiler() ? "; GC profiler on" : "; GC profiler off");
    return sb.toString();
  }

  // ------------------------------------------------------------------ planning

  /**
   * How long one benchmark may run before its fork is killed: a generous multiple of its plan,
   * {@code forks × (2 min + 3 × iterations × iteration time)}.
   */
  static Duration benchmarkTimeout(RunProfile p) {
    long iterations = p.warmupIterations() + p.measurementIterations();
    return Duration.ofMinutes(2).plus(p.iterationTime().multipliedBy(3 * iterations)).multipliedBy(p.forks());
  }

  static double plannedSecondsPerRun(RunProfile p) {
    double iterations = p.warmupIterations() + p.measurementIterations();
    return p.forks() * (FORK_OVERHEAD_SECONDS + iterations * p.iterationTime().toMillis() / 1000.0);
  }

  /**
   * In quick mode, shortens iterations (not below {@link RunProfile#MIN_ITERATION_TIME}) so the
   * benchmarks and the scenarios fit the budget.
   */
  RunProfile fitToBudget(RunProfile p) {
    return fitToBudget(p, catalog.runCount(), scenarios.size());
  }

  static RunProfile fitToBudget(RunProfile p, int runs, int scenarioCount) {
    if (p.jmhBudget().isZero() || runs == 0) {
      return p;
    }
    return refit(p, FORK_OVERHEAD_SECONDS, runs, jmhSeconds(p, scenarioCount));
  }

  /** The part of the quick budget left for JMH: the rest is for the scenarios and a margin. */
  static double jmhSeconds(RunProfile p, int scenarioCount) {
    return Math.max(60, p.jmhBudget().toSeconds() - QUICK_SCENARIO_SECONDS * scenarioCount - 30);
  }

  /**
   * The iteration time that fits {@code runs} benchmark runs into {@code seconds}, given the
   * time a fork costs besides its iterations; never above {@code p}'s iteration time nor below
   * {@link RunProfile#MIN_ITERATION_TIME}, in steps of 100 ms. Keeps {@code p}'s budget.
   */
  static RunProfile refit(RunProfile p, double overheadPerFork, int runs, double seconds) {
    int iterations = p.warmupIterations() + p.measurementIterations();
    if (runs <= 0 || iterations == 0) {
      return p;
    }
    double perIteration = (seconds / runs / p.forks() - overheadPerFork) / iterations;
    long millis = Math.max(RunProfile.MIN_ITERATION_TIME.toMillis(), (long) (perIteration * 1000) / 100 * 100);
    millis = Math.min(millis, p.iterationTime().toMillis());
    if (millis == p.iterationTime().toMillis()) {
      return p;
    }
    return new RunProfile(p.name(), p.forks(), p.warmupIterations(), p.measurementIterations(),
        Duration.ofMillis(millis), p.quickScenarios(), p.scenarioTimeout(), p.jmhBudget());
  }

  // ------------------------------------------------------------------ results directory

  private Path createResultsDir(Instant start) throws IOException {
    Path root = options.outputRoot().orElseGet(SuiteRunner::defaultResultsRoot);
    String name = DIR_NAME.format(start);
    Path dir = root.resolve(name);
    for (int i = 2; Files.exists(dir); i++) {
      dir = root.resolve(name + "-" + i);
    }
    Files.createDirectories(dir);
    // benchmarks/results/latest -> the newest run, for scripts and for humans.
    Path latest = root.resolve("latest");
    try {
      Files.deleteIfExists(latest);
      Files.createSymbolicLink(latest, dir.getFileName());
    } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
      // a convenience only (e.g. no symbolic links on this file system)
    }
    return dir;
  }

  /**
   * {@code benchmarks/results} next to the jar's {@code target/} when run from the built jar,
   * else {@code benchmarks/results} under the working directory if there is a {@code benchmarks}
   * folder, else {@code results}.
   */
  static Path defaultResultsRoot() {
    try {
      Path code = Path.of(SuiteRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path parent = code.getParent();
      if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("target")
          && parent.getParent() != null) {
        return parent.getParent().resolve("results");
      }
    } catch (URISyntaxException | RuntimeException ignored) {
      // fall through to the working directory
    }
    return Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
  }

  // ------------------------------------------------------------------ Redis

  private @Nullable RunRedis openRedis(RunRecord rec) {
    String url = env.get("REDIS_URL");
    try {
      if (url != null && !url.isBlank()) {
        out.println("Redis: measuring against REDIS_URL");
        return RunRedis.external(url.trim());
      }
      RunRedis own = RunRedis.startOwn();
      out.println("Redis: started " + own.uri());
      return own;
    } catch (RuntimeException e) {
      String why = ScenarioExecutor.describe(e);
      rec.note("Redis could not be started (" + why + "): benchmarks and scenarios that need it fail.");
      out.println("Redis: could not start (" + why + ")");
      return null;
    }
  }

  private void closeRedis() {
    RunRedis r = redis;
    if (r != null) {
      r.close();
    }
  }

  // ------------------------------------------------------------------ JMH

  /** How long the run waits for another JMH run on the machine before trying anyway. */
  static final Duration JMH_LOCK_WAIT = Duration.ofMinutes(15);

  /** Waits (and says so) while another JMH run holds JMH's lock; returns how long it waited. */
  private Duration awaitJmhLock() {
    try {
      Duration waited = JmhLock.awaitFree(JmhLock.file(), JMH_LOCK_WAIT, Duration.ofSeconds(1), () -> {
        out.println("Waiting for another JMH run on this machine to finish (it holds " + JmhLock.file()
            + "; up to " + Durations.format(JMH_LOCK_WAIT) + ")...");
        out.flush();
      });
      if (waited.toSeconds() >= 1) {
        RunRecord rec = record;
        if (rec != null) {
          rec.note("Waited " + Durations.format(waited) + " for another JMH run on this machine to finish.");
        }
      }
      return waited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Duration.ZERO;
    }
  }

  private QuestionOutcome runClass(BenchmarkClass c, RunProfile classProfile, OutputFormat jmhLog, Progress progress,
      double perRun) {
    long t0 = System.nanoTime();
    Path dir = java.util.Objects.requireNonNull(resultsDir);
    String shortName = c.className().startsWith("io.headroom.benchmarks.")
        ? c.className().substring("io.headroom.benchmarks.".length()) : c.className();
    String jsonName = "jmh/" + shortName + ".json";
    Path json = dir.resolve(jsonName);
    BenchmarkWatchdog dog = watchdog;
    ProgressOutputFormat format = new ProgressOutputFormat(jmhLog, progress, perRun, dog);
    Map<String, String> pinned = c.pinnedPeerParams();
    List<RunResult> results = new ArrayList<>();
    String classFailure = null;
    try {
      Files.createDirectories(json.getParent());
      if (pinned.isEmpty()) {
        results.addAll(new Runner(jmhOptions(c.entries(), Map.of(), c, classProfile, json), format).run());
      } else {
        // Two JMH runs: Headroom over every combination, the peers with the pinned @Params at one
        // value; their JSON arrays are joined into the one file.
        Path peersJson = json.resolveSibling(json.getFileName() + ".peers");
        if (!c.headroomEntries().isEmpty()) {
          results.addAll(new Runner(jmhOptions(c.headroomEntries(), Map.of(), c, classProfile, json), format).run());
        }
        results.addAll(new Runner(jmhOptions(c.peerEntries(), pinned, c, classProfile, peersJson), format).run());
        joinJsonArrays(json, peersJson);
      }
    } catch (Exception e) { // RunnerException, or anything JMH throws: the class fails, the run goes on
      classFailure = ScenarioExecutor.describe(e);
      jmhLog.println("<runner failure> " + c.className() + ": " + stackTrace(e));
    }
    progress.finishCurrent();
    List<BenchmarkOutcome> outcomes = outcomes(c, format, results, classFailure, progress, perRun, dog);
    String jsonFile = Files.isRegularFile(json) && json.toFile().length() > 0 ? jsonName : null;
    String settings = classProfile.jmhSettings();
    if (!pinned.isEmpty()) {
      settings += "; peers measured at " + pinned.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", ")) + " only (they do not depend on it) and repeated for every value";
    }
    return new QuestionOutcome(c.className(), c.question(), c.goal(), expandPinnedPeers(c, outcomes, pinned), jsonFile,
        (System.nanoTime() - t0) / 1e9, settings);
  }

  /**
   * Appends the JSON array in {@code extra} to the one in {@code target} (JMH writes one array per
   * run) and deletes {@code extra}; either may be missing or empty when its run failed.
   */
  static void joinJsonArrays(Path target, Path extra) throws IOException {
    String second = Files.isRegularFile(extra) ? Files.readString(extra).strip() : "";
    Files.deleteIfExists(extra);
    String first = Files.isRegularFile(target) ? Files.readString(target).strip() : "";
    boolean firstHasItems = first.startsWith("[") && first.endsWith("]") && first.length() > 2
        && !first.substring(1, first.length() - 1).isBlank();
    boolean secondHasItems = second.startsWith("[") && second.endsWith("]") && second.length() > 2
        && !second.substring(1, second.length() - 1).isBlank();
    if (!secondHasItems) {
      return;
    }
    String joined = firstHasItems
        ? first.substring(0, first.length() - 1).stripTrailing() + ",\n" + second.substring(1)
        : second;
    Files.writeString(target, joined + "\n");
  }

  /**
   * The outcomes with each pinned peer's result repeated for every other value of the pinned
   * parameters, so each Headroom result has its peers beside it.
   */
  static List<BenchmarkOutcome> expandPinnedPeers(BenchmarkClass c, List<BenchmarkOutcome> outcomes,
      Map<String, String> pinned) {
    if (pinned.isEmpty()) {
      return outcomes;
    }
    List<BenchmarkOutcome> result = new ArrayList<>(outcomes);
    for (BenchmarkOutcome peer : outcomes) {
      if (peer.isHeadroom()) {
        continue;
      }
      List<Map<String, String>> variants = List.of(peer.params());
      for (Map.Entry<String, String> pin : pinned.entrySet()) {
        if (!pin.getValue().equals(peer.params().get(pin.getKey()))) {
          continue;
        }
        List<Map<String, String>> next = new ArrayList<>();
        for (Map<String, String> v : variants) {
          for (String value : c.paramValues(pin.getKey())) {
            Map<String, String> m = new java.util.TreeMap<>(v);
            m.put(pin.getKey(), value);
            next.add(m);
          }
        }
        variants = next;
      }
      for (Map<String, String> v : variants) {
        if (!v.equals(peer.params())) {
          result.add(new BenchmarkOutcome(peer.className(), peer.method(), peer.mode(), v, peer.failure(),
              peer.score(), peer.error(), peer.unit(), peer.bytesPerOp()));
        }
      }
    }
    return result;
  }

  private org.openjdk.jmh.runner.options.Options jmhOptions(List<BenchmarkListEntry> entries,
      Map<String, String> params, BenchmarkClass c, RunProfile p, Path json) {
    ChainedOptionsBuilder b = new OptionsBuilder();
    for (BenchmarkListEntry e : entries) {
      b.include("^" + Pattern.quote(e.getUsername()) + "$");
    }
    params.forEach((name, value) -> b.param(name, value));
    TimeValue t = TimeValue.milliseconds(p.iterationTime().toMillis());
    b.forks(p.forks())
        .warmupIterations(p.warmupIterations())
        .warmupTime(t)
        .measurementIterations(p.measurementIterations())
        .measurementTime(t)
        .timeout(TimeValue.seconds(Math.max(30, p.iterationTime().toSeconds() * 10)))
        .shouldFailOnError(false)
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString());
    if (options.gcProfiler()) {
      b.addProfiler(GCProfiler.class);
    }
    List<String> jvmArgs = new ArrayList<>(c.annotatedJvmArgsAppend());
    RunRedis r = redis;
    if (r != null) {
      jvmArgs.add("-D" + REDIS_URI_PROPERTY + "=" + r.uri());
    }
    if (!jvmArgs.isEmpty()) {
      b.jvmArgsAppend(jvmArgs.toArray(new String[0]));
    }
    return b.build();
  }

  private static List<BenchmarkOutcome> outcomes(BenchmarkClass c, ProgressOutputFormat format,
      Collection<RunResult> results, @Nullable String classFailure, Progress progress, double perRun,
      @Nullable BenchmarkWatchdog dog) {
    Map<String, RunResult> byKey = new HashMap<>();
    for (RunResult rr : results) {
      byKey.put(ProgressOutputFormat.key(rr.getParams()), rr);
    }
    List<BenchmarkOutcome> outcomes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (BenchmarkParams p : format.started()) {
      String key = ProgressOutputFormat.key(p);
      seen.add(key);
      RunResult rr = byKey.get(key);
      if (rr != null) {
        outcomes.add(measured(rr));
      } else {
        String why = dog != null && dog.killed(key)
            ? "timed out after " + Durations.format(dog.limit()) + " (fork killed)"
            : format.failure(key);
        outcomes.add(BenchmarkOutcome.failed(c.className(), method(p.getBenchmark()), p.getMode().shortLabel(),
            ProgressOutputFormat.params(p),
            why != null ? why : classFailure != null ? classFailure : "no result (see jmh.log)"));
      }
    }
    for (RunResult rr : results) {
      if (seen.add(ProgressOutputFormat.key(rr.getParams()))) {
        outcomes.add(measured(rr));
      }
    }
    int skipped = 0;
    Map<String, String> pinned = c.pinnedPeerParams();
    for (BenchmarkListEntry e : c.entries()) {
      if (e.getMode() == Mode.All) {
        continue;
      }
      for (Map<String, String> combo : BenchmarkCatalog.paramCombinations(e)) {
        if (!BenchmarkCatalog.isHeadroom(e) && !matches(combo, pinned)) {
          continue; // a peer at a pinned parameter's other values: never run, repeated from the first
        }
        String key = ProgressOutputFormat.key(e.getUsername(), e.getMode().shortLabel(), combo);
        if (seen.add(key)) {
          skipped++;
          outcomes.add(BenchmarkOutcome.failed(c.className(), method(e.getUsername()), e.getMode().shortLabel(),
              combo, "did not run: " + (classFailure != null ? classFailure : "see jmh.log")));
        }
      }
    }
    if (skipped > 0) {
      progress.skip(skipped, skipped * perRun);
    }
    return outcomes;
  }

  /** Whether {@code combo} has every value of {@code pinned} that it names. */
  private static boolean matches(Map<String, String> combo, Map<String, String> pinned) {
    for (Map.Entry<String, String> pin : pinned.entrySet()) {
      String v = combo.get(pin.getKey());
      if (v != null && !v.equals(pin.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static BenchmarkOutcome measured(RunResult rr) {
    BenchmarkParams p = rr.getParams();
    Result<?> primary = rr.getPrimaryResult();
    Double bytesPerOp = null;
    // JMH's API returns Map<String, Result> with a raw Result; only getScore() is used.
    for (String key : rr.getSecondaryResults().keySet()) {
      if (key.endsWith("gc.alloc.rate.norm")) {
        bytesPerOp = rr.getSecondaryResults().get(key).getScore();
      }
    }
    return BenchmarkOutcome.measured(classOf(p.getBenchmark()), method(p.getBenchmark()), p.getMode().shortLabel(),
        ProgressOutputFormat.params(p), primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
        bytesPerOp);
  }

  private static String method(String benchmark) {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  private static String classOf(String benchmark) {
    return benchmark.substring(0, benchmark.lastIndexOf('.'));
  }

  // ------------------------------------------------------------------ scenarios

  private ScenarioOutcome runScenario(Scenario s) {
    Path dir = java.util.Objects.requireNonNull(resultsDir);
    String relative = "scenarios/" + ReportWriterNames.safe(s.id());
    Path outDir = dir.resolve(relative);
    long t0 = System.nanoTime();
    RunRedis r = redis;
    try {
      Files.createDirectories(outDir);
      if (s.needsRedis() && r == null) {
        throw new IllegalStateException("needs Redis, which could not be started");
      }
      ScenarioContext context = new ScenarioContext(profile.quickScenarios(), outDir, SEED, out,
          r == null ? null : r.uri(), s.needsRedis() && r != null ? r.control().orElse(null) : null);
      ScenarioResult result = ScenarioExecutor.run(s, context, profile.scenarioTimeout());
      return new ScenarioOutcome(s.id(), s.question(), relative, result, null, (System.nanoTime() - t0) / 1e9);
    } catch (Exception | Error e) { // the scenario fails, the run goes on
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      appendError(dir, "scenario " + s.id(), e);
      return new ScenarioOutcome(s.id(), s.question(), relative, null, ScenarioExecutor.describe(e),
          (System.nanoTime() - t0) / 1e9);
    } finally {
      // An outage scenario that failed half-way must not leave the next one without Redis.
      if (r != null && s.needsRedis()) {
        r.control().ifPresent(control -> {
          try {
            control.restart();
          } catch (RuntimeException ignored) {
            // reported by the next scenario that needs Redis
          }
        });
      }
    }
  }

  private static void appendError(Path dir, String what, Throwable e) {
    try {
      Files.writeString(dir.resolve("errors.log"), what + ":\n" + stackTrace(e) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the failure is in the report; the stack trace is a bonus
    }
  }

  private static String stackTrace(Throwable e) {
    StringWriter sw = new StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  // ------------------------------------------------------------------ report

  private void writeReport() {
    RunRecord rec = record;
    ReportWriter w = writer;
    if (rec == null || w == null) {
      return;
    }
    synchronized (reportLock) {
      try {
        w.write(rec.snapshot());
      } catch (IOException | RuntimeException e) {
        out.println("warning: could not write the report: " + e.getMessage());
      }
    }
  }

  /** The shutdown hook: after Ctrl-C, mark the run interrupted, write it, stop Redis. */
  private void onInterrupt() {
    RunRecord rec = record;
    if (rec != null && rec.finish(RunRecord.Status.INTERRUPTED)) {
      writeReport();
      out.println();
      out.println("Interrupted: partial report in " + resultsDir);
      out.flush();
    }
    closeRedis();
    // JMH forks still measuring would outlive this JVM; a terminal's Ctrl-C reaches them too,
    // but a kill of this process alone does not.
    BenchmarkWatchdog.killForks();
  }

  /** Names of files derived from ids. */
  static final class ReportWriterNames {
    private ReportWriterNames() {}

    static String safe(String id) {
      return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
  }
}
