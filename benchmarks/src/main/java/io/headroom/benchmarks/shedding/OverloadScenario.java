package io.headroom.benchmarks.shedding;

import com.netflix.concurrency.limits.Limiter.Listener;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.headroom.benchmarks.scenario.Scenario;
import io.headroom.benchmarks.scenario.ScenarioContext;
import io.headroom.benchmarks.scenario.ScenarioResult;
import io.headroom.shedding.AdaptiveLimiter;
import io.headroom.shedding.AimdLimit;
import io.headroom.shedding.FixedLimit;
import io.headroom.shedding.GradientLimit;
import io.headroom.shedding.LimitAlgorithm;
import io.headroom.shedding.Permit;
import io.headroom.shedding.Priority;
import io.headroom.shedding.VegasLimit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Overload, as a discrete-event simulation in simulated time (deterministic and fast): a backend
 * with a hidden capacity of {@value #SERVERS} servers, lognormal service time (median
 * {@value #SERVICE_MEDIAN_MS} ms, sigma {@value #SERVICE_SIGMA}) and an unbounded FIFO queue
 * beyond them; clients give up after {@value #DEADLINE_MS} ms (the request stays queued at the
 * backend and is still served: wasted work, as in real overload). Poisson arrivals with a
 * priority mix of 10% CRITICAL, 20% HIGH, 40% NORMAL, 30% LOW; offered load steps 0.5× → 1× →
 * 3× → 10× → 1× of capacity, then the backend loses half its servers, then gets them back.
 *
 * <p>Every limiter sees the same request stream (arrival times, priorities and service times
 * are drawn from one seeded generator before the limiter decides). Limiters: none, a fixed
 * limit equal to the server count, Headroom's AIMD, Vegas and Gradient with default settings
 * and default priority fractions (AIMD with a 50 ms timeout), Gradient again with a 20 ms
 * {@code escalationHold}, and concurrency-limits' {@code SimpleLimiter} with
 * {@code Gradient2Limit} (no priorities) as the peer. A timeout completes the permit as
 * dropped; a response completes it as success.
 */
public final class OverloadScenario implements Scenario {
  static final int SERVERS = 20;
  static final double SERVICE_MEDIAN_MS = 10;
  static final double SERVICE_SIGMA = 0.5;
  static final long DEADLINE_MS = 100;
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final double[] MIX = {0.10, 0.20, 0.40, 0.30};
  private static final Priority[] PRIORITIES = Priority.values();

  /** One step of the run: offered load as a multiple of full capacity, and servers up. */
  record Step(String name, double load, int servers) {}

  static final List<Step> STEPS =
      List.of(
          new Step("0.5x", 0.5, SERVERS),
          new Step("1x", 1, SERVERS),
          new Step("3x", 3, SERVERS),
          new Step("10x", 10, SERVERS),
          new Step("1x again", 1, SERVERS),
          new Step("capacity halved", 1, SERVERS / 2),
          new Step("capacity back", 1, SERVERS));

  static final List<String> LIMITERS =
      List.of(
          "none",
          "fixed",
          "aimd",
          "vegas",
          "gradient",
          "gradient-escalation",
          "concurrency-limits-gradient2");

  @Override
  public String id() {
    return "shedding.overload";
  }

  @Override
  public String question() {
    return "Under 3x and 10x overload and a capacity drop, which limiter keeps goodput near capacity and critical latency low, and how fast does its limit settle?";
  }

  /**
   * Runs the scenario alone and prints its tables: {@code java -cp benchmarks.jar
   * io.headroom.benchmarks.shedding.OverloadScenario [outputDir] [--quick]}.
   */
  public static void main(String[] args) throws Exception {
    java.nio.file.Path out = java.nio.file.Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "target/shedding-overload");
    boolean quick = java.util.Arrays.asList(args).contains("--quick");
    ScenarioResult r =
        new OverloadScenario().run(new ScenarioContext(quick, out, 42, System.out, null, null));
    for (ScenarioResult.Table t : r.tables()) {
      System.out.println();
      System.out.println("## " + t.title());
      System.out.println("| " + String.join(" | ", t.header()) + " |");
      System.out.println("|" + "---|".repeat(t.header().size()));
      for (List<String> row : t.rows()) {
        System.out.println("| " + String.join(" | ", row) + " |");
      }
    }
    System.out.println();
    r.notes().forEach(n -> System.out.println("- " + n));
  }

  /** Capacity of {@code servers} servers in requests per second. */
  static double capacity(int servers) {
    double meanMs = SERVICE_MEDIAN_MS * Math.exp(SERVICE_SIGMA * SERVICE_SIGMA / 2);
    return servers * 1000 / meanMs;
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    long stepNanos = context.millis(10_000, 5_000) * MS;
    ScenarioResult.Builder result = ScenarioResult.builder(context.outputDir());
    List<List<String>> summary = new ArrayList<>();
    for (String name : LIMITERS) {
      Simulation sim = new Simulation(name, context.seed(), stepNanos);
      sim.run();
      context.log().println("shedding.overload: " + name + " done");
      String csv = "shedding-overload-" + name + ".csv";
      result.csv(csv, Simulation.SERIES_HEADER, sim.series);
      result.chart(
          ScenarioResult.ChartKind.LINE,
          "Limit and latency over time under overload (" + name + ")",
          csv,
          "second",
          List.of("limit", "inflight", "p99_ms", "rejected_pct"),
          "simulated second",
          "limit, in-flight / p99 ms / % rejected");
      result.table(
          "Overload, " + name + " (per step; latency of admitted requests in ms, timeouts count as "
              + DEADLINE_MS + " ms)",
          Simulation.STEP_HEADER,
          sim.stepRows());
      summary.add(sim.summaryRow());
      for (String note : sim.goalNotes()) {
        result.note(note);
      }
    }
    result.table(
        "Overload summary: goodput (successes within " + DEADLINE_MS
            + " ms) as % of capacity, CRITICAL p99 and CRITICAL/LOW rejection at 3x and 10x",
        List.of(
            "limiter",
            "goodput 3x",
            "goodput 10x",
            "CRIT p99 3x",
            "CRIT p99 10x",
            "CRIT rej 10x",
            "LOW rej 10x",
            "settle halved (s)",
            "settle back (s)"),
        summary);
    result.note(
        "Simulated time: " + SERVERS + " servers, lognormal service (median " + SERVICE_MEDIAN_MS
            + " ms, sigma " + SERVICE_SIGMA + "), capacity "
            + String.format(Locale.ROOT, "%.0f", capacity(SERVERS)) + " req/s, client deadline "
            + DEADLINE_MS + " ms, steps of " + stepNanos / SECOND + " s, seed " + context.seed()
            + ". Goals at 3x/10x: goodput >= 90% of capacity, CRITICAL p99 <= 2x the unloaded p99"
            + " (the 0.5x step of the same limiter), CRITICAL rejected <= 1%.");
    return result.build();
  }

  /** A request of the offered stream. */
  static final class Request {
    final long arrival;
    final int priority;
    final long service;
    @Nullable Permit permit;
    @Nullable Listener listener;
    boolean done;
    boolean timedOut;

    Request(long arrival, int priority, long service) {
      this.arrival = arrival;
      this.priority = priority;
      this.service = service;
    }
  }

  /** An event in simulated time; {@code seq} breaks ties in insertion order. */
  record Event(long time, long seq, int kind, @Nullable Request request) implements Comparable<Event> {
    static final int ARRIVAL = 0;
    static final int SERVICE_DONE = 1;
    static final int TIMEOUT = 2;
    static final int TICK = 3;

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** One limiter through all the steps. Not thread-safe. */
  static final class Simulation {
    static final List<String> SERIES_HEADER =
        List.of(
            "second",
            "offered_per_s",
            "limit",
            "inflight",
            "p50_ms",
            "p99_ms",
            "goodput_per_s",
            "rejected_per_s",
            "rejected_pct",
            "servers");
    static final List<String> STEP_HEADER =
        List.of(
            "step",
            "load",
            "goodput %cap",
            "CRIT p50",
            "CRIT p99",
            "HIGH p50",
            "HIGH p99",
            "NORM p50",
            "NORM p99",
            "LOW p50",
            "LOW p99",
            "rej CRIT %",
            "rej HIGH %",
            "rej NORM %",
            "rej LOW %",
            "limit at end",
            "settle s");

    final String name;
    final long stepNanos;
    final SplittableRandom random;
    final PriorityQueue<Event> events = new PriorityQueue<>();
    final ArrayDeque<Request> backlog = new ArrayDeque<>();
    final List<List<String>> series = new ArrayList<>();
    final @Nullable AdaptiveLimiter limiter;
    final @Nullable SimpleLimiter<@Nullable Void> peer;
    long now;
    long seq;
    int busy;
    int servers = SERVERS;
    int peerlessInFlight;

    // per step
    final Histogram[][] latency; // [step][priority], microseconds
    final long[][] offered;
    final long[][] rejected;
    final long[] good;
    final List<long[]> limitTrace = new ArrayList<>(); // {time, limit}
    final double[] settleSeconds;
    final int[] limitAtEnd;

    // per second
    final Histogram secondLatency = newHistogram();
    long secondOffered;
    long secondGood;
    long secondRejected;

    Simulation(String name, long seed, long stepNanos) {
      this.name = name;
      this.stepNanos = stepNanos;
      this.random = new SplittableRandom(seed);
      int steps = STEPS.size();
      latency = new Histogram[steps][PRIORITIES.length];
      for (Histogram[] row : latency) {
        for (int p = 0; p < row.length; p++) {
          row[p] = newHistogram();
        }
      }
      offered = new long[steps][PRIORITIES.length];
      rejected = new long[steps][PRIORITIES.length];
      good = new long[steps];
      settleSeconds = new double[steps];
      limitAtEnd = new int[steps];
      LimitAlgorithm algorithm =
          switch (name) {
            case "fixed" -> FixedLimit.of(SERVERS);
            case "aimd" -> AimdLimit.newBuilder().timeout(java.time.Duration.ofMillis(50)).build();
            case "vegas" -> VegasLimit.newBuilder().build();
            case "gradient", "gradient-escalation" -> GradientLimit.newBuilder().build();
            default -> null;
          };
      this.limiter =
          algorithm == null
              ? null
              : AdaptiveLimiter.newBuilder()
                  .limit(algorithm)
                  .ticker(() -> now)
                  .escalationHold(
                      name.endsWith("-escalation") ? Duration.ofMillis(20) : Duration.ZERO)
                  .build();
      this.peer =
          name.equals("concurrency-limits-gradient2")
              ? SimpleLimiter.newBuilder()
                  .limit(Gradient2Limit.newBuilder().build())
                  .nanoClock(() -> now)
                  .build()
              : null;
    }

    static Histogram newHistogram() {
      return new Histogram(60_000_000L, 3);
    }

    int limitNow() {
      if (limiter != null) {
        return limiter.limit();
      }
      if (peer != null) {
        return peer.getLimit();
      }
      return 0;
    }

    int inFlightNow() {
      if (limiter != null) {
        return limiter.inFlight();
      }
      if (peer != null) {
        return peer.getInflight();
      }
      return peerlessInFlight;
    }

    void schedule(long time, int kind, @Nullable Request r) {
      events.add(new Event(time, seq++, kind, r));
    }

    int step() {
      return (int) Math.min(STEPS.size() - 1, now / stepNanos);
    }

    void run() {
      long end = stepNanos * STEPS.size();
      schedule(0, Event.ARRIVAL, null);
      schedule(SECOND / 10, Event.TICK, null);
      while (!events.isEmpty()) {
        Event e = events.poll();
        if (e.time() >= end) {
          break;
        }
        now = e.time();
        switch (e.kind()) {
          case Event.ARRIVAL -> arrive();
          case Event.SERVICE_DONE -> serviceDone(java.util.Objects.requireNonNull(e.request()));
          case Event.TIMEOUT -> timeout(java.util.Objects.requireNonNull(e.request()));
          default -> tick();
        }
      }
      computeSettling();
    }

    void arrive() {
      Step step = STEPS.get(step());
      double rate = capacity(SERVERS) * step.load() / SECOND; // per nanosecond
      double u = random.nextDouble();
      int p = u < MIX[0] ? 0 : u < MIX[0] + MIX[1] ? 1 : u < MIX[0] + MIX[1] + MIX[2] ? 2 : 3;
      double serviceMs = SERVICE_MEDIAN_MS * Math.exp(SERVICE_SIGMA * gaussian());
      Request r = new Request(now, p, Math.max(1, (long) (serviceMs * MS)));
      long gap = (long) (-Math.log(1 - random.nextDouble()) / rate);
      schedule(now + Math.max(1, gap), Event.ARRIVAL, null);

      int s = step();
      offered[s][p]++;
      secondOffered++;
      boolean admitted;
      if (limiter != null) {
        r.permit = limiter.tryAcquire(PRIORITIES[p]);
        admitted = r.permit != null;
      } else if (peer != null) {
        Optional<Listener> l = peer.acquire(null);
        r.listener = l.orElse(null);
        admitted = l.isPresent();
      } else {
        peerlessInFlight++;
        admitted = true;
      }
      if (!admitted) {
        rejected[s][p]++;
        secondRejected++;
        return;
      }
      schedule(now + DEADLINE_MS * MS, Event.TIMEOUT, r);
      if (busy < servers) {
        startService(r);
      } else {
        backlog.addLast(r);
      }
    }

    private double gaussian() {
      // Box-Muller from the seeded generator (SplittableRandom has no nextGaussian on Java 17).
      double u1 = 1 - random.nextDouble();
      double u2 = random.nextDouble();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    void startService(Request r) {
      busy++;
      schedule(now + r.service, Event.SERVICE_DONE, r);
    }

    void serviceDone(Request r) {
      busy--;
      while (busy < servers && !backlog.isEmpty()) {
        startService(backlog.pollFirst());
      }
      if (r.timedOut) {
        return; // the client gave up already: wasted work
      }
      r.done = true;
      long latencyNanos = now - r.arrival;
      record(r, latencyNanos);
      good[step()]++;
      secondGood++;
      if (r.permit != null) {
        r.permit.success();
      } else if (r.listener != null) {
        r.listener.onSuccess();
      } else {
        peerlessInFlight--;
      }
    }

    void timeout(Request r) {
      if (r.done) {
        return;
      }
      r.timedOut = true;
      record(r, DEADLINE_MS * MS);
      if (r.permit != null) {
        r.permit.dropped();
      } else if (r.listener != null) {
        r.listener.onDropped();
      } else {
        peerlessInFlight--;
      }
    }

    void record(Request r, long latencyNanos) {
      long micros = Math.max(1, latencyNanos / 1000);
      latency[(int) Math.min(STEPS.size() - 1, r.arrival / stepNanos)][r.priority].recordValue(micros);
      secondLatency.recordValue(micros);
    }

    void tick() {
      int s = step();
      servers = STEPS.get(s).servers();
      while (busy < servers && !backlog.isEmpty()) {
        startService(backlog.pollFirst());
      }
      limitTrace.add(new long[] {now, limitNow()});
      if (now % SECOND == 0) {
        long second = now / SECOND;
        series.add(
            List.of(
                Long.toString(second),
                Long.toString(secondOffered),
                Integer.toString(limitNow()),
                Integer.toString(inFlightNow()),
                ms(secondLatency.getTotalCount() == 0 ? 0 : secondLatency.getValueAtPercentile(50)),
                ms(secondLatency.getTotalCount() == 0 ? 0 : secondLatency.getValueAtPercentile(99)),
                Long.toString(secondGood),
                Long.toString(secondRejected),
                String.format(
                    Locale.ROOT,
                    "%.1f",
                    secondOffered == 0 ? 0.0 : 100.0 * secondRejected / secondOffered),
                Integer.toString(servers)));
        secondLatency.reset();
        secondOffered = 0;
        secondGood = 0;
        secondRejected = 0;
      }
      schedule(now + SECOND / 10, Event.TICK, null);
    }

    /**
     * Settling time of each step: from the step's start until the limit stays within ±15% (at
     * least ±2) of its mean over the step's last 30%.
     */
    void computeSettling() {
      for (int s = 0; s < STEPS.size(); s++) {
        long from = s * stepNanos;
        long to = from + stepNanos;
        long tail = to - stepNanos * 3 / 10;
        double sum = 0;
        int n = 0;
        int last = 0;
        for (long[] point : limitTrace) {
          if (point[0] >= tail && point[0] < to) {
            sum += point[1];
            n++;
          }
          if (point[0] >= from && point[0] < to) {
            last = (int) point[1];
          }
        }
        limitAtEnd[s] = last;
        if (n == 0) {
          settleSeconds[s] = Double.NaN;
          continue;
        }
        double mean = sum / n;
        double band = Math.max(2, mean * 0.15);
        long settledAt = from;
        for (long[] point : limitTrace) {
          if (point[0] >= from && point[0] < to && Math.abs(point[1] - mean) > band) {
            settledAt = point[0] + SECOND / 10;
          }
        }
        settleSeconds[s] = (double) (settledAt - from) / SECOND;
      }
    }

    double goodputPercent(int s) {
      double seconds = (double) stepNanos / SECOND;
      return 100.0 * good[s] / (capacity(STEPS.get(s).servers()) * seconds);
    }

    double rejectedPercent(int s, int p) {
      return offered[s][p] == 0 ? 0 : 100.0 * rejected[s][p] / offered[s][p];
    }

    double p(int s, int priority, double percentile) {
      Histogram h = latency[s][priority];
      return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    List<List<String>> stepRows() {
      List<List<String>> rows = new ArrayList<>();
      for (int s = 0; s < STEPS.size(); s++) {
        Step step = STEPS.get(s);
        List<String> row = new ArrayList<>();
        row.add(step.name());
        row.add(fmt(step.load() * SERVERS / step.servers()) + "x");
        row.add(fmt(goodputPercent(s)));
        for (int p = 0; p < PRIORITIES.length; p++) {
          row.add(fmt(p(s, p, 50)));
          row.add(fmt(p(s, p, 99)));
        }
        for (int p = 0; p < PRIORITIES.length; p++) {
          row.add(fmt(rejectedPercent(s, p)));
        }
        row.add(limiter == null && peer == null ? "-" : Integer.toString(limitAtEnd[s]));
        row.add(limiter == null && peer == null ? "-" : fmt(settleSeconds[s]));
        rows.add(row);
      }
      return rows;
    }

    List<String> summaryRow() {
      boolean hasLimit = limiter != null || peer != null;
      return List.of(
          name,
          fmt(goodputPercent(2)) + "%",
          fmt(goodputPercent(3)) + "%",
          fmt(p(2, 0, 99)) + " ms",
          fmt(p(3, 0, 99)) + " ms",
          fmt(rejectedPercent(3, 0)) + "%",
          fmt(rejectedPercent(3, 3)) + "%",
          hasLimit ? fmt(settleSeconds[5]) : "-",
          hasLimit ? fmt(settleSeconds[6]) : "-");
    }

    List<String> goalNotes() {
      double unloaded = p(0, 0, 99);
      List<String> misses = new ArrayList<>();
      for (int s : new int[] {2, 3}) {
        String step = STEPS.get(s).name();
        if (goodputPercent(s) < 90) {
          misses.add("goodput " + fmt(goodputPercent(s)) + "% < 90% at " + step);
        }
        if (p(s, 0, 99) > 2 * unloaded) {
          misses.add("CRITICAL p99 " + fmt(p(s, 0, 99)) + " ms > 2 x " + fmt(unloaded) + " ms at " + step);
        }
        if (rejectedPercent(s, 0) > 1) {
          misses.add("CRITICAL rejected " + fmt(rejectedPercent(s, 0)) + "% > 1% at " + step);
        }
      }
      return List.of(
          name + ": " + (misses.isEmpty() ? "all overload goals met at 3x and 10x" : "missed " + String.join("; ", misses)) + ".");
    }

    static String ms(long micros) {
      return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    static String fmt(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
  }
}
