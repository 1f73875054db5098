package io.headroom.benchmarks.runner;

import io.headroom.benchmarks.scenario.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The scenarios registered in {@code META-INF/services/io.headroom.benchmarks.scenario.Scenario},
 * selected by {@code --include} on their ids, sorted by id. A provider that cannot be loaded is
 * kept as a broken entry, so the run reports it as failed instead of dying. Immutable.
 */
public final class ScenarioCatalog {

  /** A provider line that could not be turned into a scenario. */
  public record Broken(String name, String reason) {}

  private static final int MAX_PROVIDERS = 10_000;
  /** ServiceLoader's message names the class: "...: Provider a.b.C not found". */
  private static final java.util.regex.Pattern PROVIDER = java.util.regex.Pattern.compile("Provider (\\S+)");

  private final List<Scenario> scenarios;
  private final List<Broken> broken;

  private ScenarioCatalog(List<Scenario> scenarios, List<Broken> broken) {
    this.scenarios = List.copyOf(scenarios);
    this.broken = List.copyOf(broken);
  }

  public static ScenarioCatalog load(RunnerOptions options) {
    List<Scenario> found = new ArrayList<>();
    List<Broken> broken = new ArrayList<>();
    Iterator<ServiceLoader.Provider<Scenario>> it =
        ServiceLoader.load(Scenario.class, ScenarioCatalog.class.getClassLoader()).stream().iterator();
    for (int i = 0; i < MAX_PROVIDERS; i++) {
      ServiceLoader.Provider<Scenario> provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        String reason = ProgressOutputFormat.firstLine(String.valueOf(e.getMessage()));
        java.util.regex.Matcher m = PROVIDER.matcher(reason);
        String name = m.find() ? m.group(1) : "provider " + i;
        if (options.selects(name)) {
          broken.add(new Broken(name, reason));
        }
        continue;
      }
      String name = provider.type().getName();
      try {
        Scenario s = provider.get();
        if (options.selects(s.id())) {
          found.add(s);
        }
      } catch (ServiceConfigurationError | RuntimeException e) {
        if (options.selects(name)) {
          broken.add(new Broken(name, ProgressOutputFormat.firstLine(String.valueOf(e.getMessage()))));
        }
      }
    }
    found.sort(Comparator.comparing(Scenario::id));
    return new ScenarioCatalog(found, broken);
  }

  static ScenarioCatalog empty() {
    return new ScenarioCatalog(List.of(), List.of());
  }

  public List<Scenario> scenarios() {
    return scenarios;
  }

  public List<Broken> broken() {
    return broken;
  }

  public boolean needsRedis() {
    return scenarios.stream().anyMatch(Scenario::needsRedis);
  }

  public int size() {
    return scenarios.size() + broken.size();
  }
}
