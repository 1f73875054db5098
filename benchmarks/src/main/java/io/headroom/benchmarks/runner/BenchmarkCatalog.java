package io.headroom.benchmarks.runner;

import io.headroom.benchmarks.Question;
import io.headroom.benchmarks.report.BenchmarkOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * The JMH benchmarks compiled into the jar, read from {@code META-INF/BenchmarkList} (the file
 * JMH's annotation processor writes and JMH's own runner reads), grouped by class: one class is
 * one question. Immutable.
 */
public final class BenchmarkCatalog {

  /**
   * A benchmark class and its selected {@code @Benchmark} methods.
   *
   * @param peersIndependentOf the {@code @Param}s the peers are measured at one value of (see
   *     {@link Question#peersIndependentOf()})
   */
  public record BenchmarkClass(String className, String question, String goal, List<BenchmarkListEntry> entries,
      List<String> peersIndependentOf) {
    public BenchmarkClass {
      entries = List.copyOf(entries);
      peersIndependentOf = List.copyOf(peersIndependentOf);
    }

    public BenchmarkClass(String className, String question, String goal, List<BenchmarkListEntry> entries) {
      this(className, question, goal, entries, List.of());
    }

    /** The number of (method, mode, {@code @Param} combination) runs JMH will make. */
    public int runCount() {
      return entries.stream().mapToInt(e -> isHeadroom(e) ? combinations(e) : combinations(e, peersIndependentOf))
          .sum();
    }

    /** The Headroom methods ({@code headroom…}). */
    public List<BenchmarkListEntry> headroomEntries() {
      return entries.stream().filter(BenchmarkCatalog::isHeadroom).toList();
    }

    /** The peers and baselines: every method that is not Headroom's. */
    public List<BenchmarkListEntry> peerEntries() {
      return entries.stream().filter(e -> !isHeadroom(e)).toList();
    }

    /**
     * The values the peers are pinned to: for each of {@link #peersIndependentOf} that a peer
     * declares, its first {@code @Param} value. Empty when the peers run every combination.
     */
    public Map<String, String> pinnedPeerParams() {
      Map<String, String> pinned = new TreeMap<>();
      for (BenchmarkListEntry e : peerEntries()) {
        if (e.getParams().hasValue()) {
          for (String name : peersIndependentOf) {
            String[] values = e.getParams().get().get(name);
            if (values != null && values.length > 0) {
              pinned.putIfAbsent(name, values[0]);
            }
          }
        }
      }
      return pinned;
    }

    /** Every value of {@code param} across the class's methods, in declaration order. */
    public List<String> paramValues(String param) {
      List<String> values = new ArrayList<>();
      for (BenchmarkListEntry e : entries) {
        if (e.getParams().hasValue() && e.getParams().get().get(param) != null) {
          for (String v : e.getParams().get().get(param)) {
            if (!values.contains(v)) {
              values.add(v);
            }
          }
        }
      }
      return values;
    }

    /** The union of the {@code @Fork(jvmArgsAppend)} of the class's methods, in order. */
    public List<String> annotatedJvmArgsAppend() {
      List<String> args = new ArrayList<>();
      for (BenchmarkListEntry e : entries) {
        if (e.getJvmArgsAppend().hasValue()) {
          for (String a : e.getJvmArgsAppend().get()) {
            if (!args.contains(a)) {
              args.add(a);
            }
          }
        }
      }
      return args;
    }
  }

  private final List<BenchmarkClass> classes;

  private BenchmarkCatalog(List<BenchmarkClass> classes) {
    this.classes = List.copyOf(classes);
  }

  /** The benchmarks on the class path, selected by {@code options}. */
  public static BenchmarkCatalog load(RunnerOptions options) {
    URL url = BenchmarkList.class.getResource(BenchmarkList.BENCHMARK_LIST);
    if (url == null) {
      return new BenchmarkCatalog(List.of());
    }
    try (InputStream in = url.openStream()) {
      return of(BenchmarkList.readBenchmarkList(in), options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
  }

  /** Groups {@code entries} selected by {@code options} by class, sorted by class name. */
  static BenchmarkCatalog of(Collection<BenchmarkListEntry> entries, RunnerOptions options) {
    Map<String, List<BenchmarkListEntry>> byClass = new TreeMap<>();
    for (BenchmarkListEntry e : entries) {
      if (options.selects(e.getUsername())) {
        byClass.computeIfAbsent(e.getUserClassQName(), k -> new ArrayList<>()).add(e);
      }
    }
    List<BenchmarkClass> classes = new ArrayList<>();
    for (Map.Entry<String, List<BenchmarkListEntry>> e : byClass.entrySet()) {
      List<BenchmarkListEntry> list = new ArrayList<>(e.getValue());
      list.sort(null);
      // Shown as is in the list and the report, so a class without its question stands out.
      String question = simpleName(e.getKey()) + " (no @Question)";
      String goal = "";
      List<String> peersIndependentOf = List.of();
      try {
        Question q = Class.forName(e.getKey(), false, BenchmarkCatalog.class.getClassLoader())
            .getAnnotation(Question.class);
        if (q != null) {
          question = q.value();
          goal = q.goal();
          peersIndependentOf = List.of(q.peersIndependentOf());
        }
      } catch (ClassNotFoundException | LinkageError ignored) {
        // The class will fail to run too, and the run reports it there.
      }
      classes.add(new BenchmarkClass(e.getKey(), question, goal, list, peersIndependentOf));
    }
    return new BenchmarkCatalog(classes);
  }

  public List<BenchmarkClass> classes() {
    return classes;
  }

  public int runCount() {
    return classes.stream().mapToInt(BenchmarkClass::runCount).sum();
  }

  /** The number of {@code @Param} combinations of an entry (1 without parameters). */
  static int combinations(BenchmarkListEntry entry) {
    return combinations(entry, List.of());
  }

  /** The number of {@code @Param} combinations of an entry with each of {@code pinned} at one value. */
  static int combinations(BenchmarkListEntry entry, Collection<String> pinned) {
    if (!entry.getParams().hasValue()) {
      return 1;
    }
    int n = 1;
    for (Map.Entry<String, String[]> p : entry.getParams().get().entrySet()) {
      n *= pinned.contains(p.getKey()) ? 1 : Math.max(1, p.getValue().length);
    }
    return n;
  }

  /** Whether the entry measures Headroom: its method name starts with {@code headroom}. */
  static boolean isHeadroom(BenchmarkListEntry entry) {
    return BenchmarkOutcome.isHeadroomMethod(simpleName(entry.getUsername()));
  }

  /** Every {@code @Param} combination of an entry, each sorted by name. */
  static List<Map<String, String>> paramCombinations(BenchmarkListEntry entry) {
    List<Map<String, String>> result = new ArrayList<>();
    result.add(new LinkedHashMap<>());
    if (!entry.getParams().hasValue()) {
      return result;
    }
    for (Map.Entry<String, String[]> p : new TreeMap<>(entry.getParams().get()).entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : result) {
        for (String value : p.getValue()) {
          Map<String, String> m = new LinkedHashMap<>(partial);
          m.put(p.getKey(), value);
          next.add(m);
        }
      }
      if (!next.isEmpty()) {
        result = next;
      }
    }
    return result;
  }

  static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
