package io.headroom.benchmarks.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run has found so far: environment, settings, outcomes, notes. The runner adds to
 * it as it goes and the report writers read {@linkplain #snapshot() snapshots}, so a report can
 * be written at any point (after each class, and from the Ctrl-C hook).
 *
 * <p>Thread-safe: every method synchronizes on this record.
 */
public final class RunRecord {

  /** Where the run is. */
  public enum Status {
    RUNNING("running (partial report)"),
    COMPLETE("complete"),
    INTERRUPTED("interrupted (partial report)");

    private final String text;

    Status(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** An immutable copy of a record. */
  public record Snapshot(
      Status status,
      Instant started,
      Instant updated,
      String settings,
      Map<String, String> environment,
      List<QuestionOutcome> questions,
      List<ScenarioOutcome> scenarios,
      List<String> notes) {

    public Snapshot {
      environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
      questions = List.copyOf(questions);
      scenarios = List.copyOf(scenarios);
      notes = List.copyOf(notes);
    }

    /** One line per failed benchmark or scenario: what, and why. */
    public List<String> failures() {
      List<String> list = new ArrayList<>();
      for (QuestionOutcome q : questions) {
        for (BenchmarkOutcome b : q.benchmarks()) {
          if (b.isFailed()) {
            list.add("benchmark " + q.shortName() + "." + b.method()
                + (b.params().isEmpty() ? "" : " " + b.paramsText()) + ": " + b.failure());
          }
        }
      }
      for (ScenarioOutcome s : scenarios) {
        if (s.isFailed()) {
          list.add("scenario " + s.id() + ": " + s.failure());
        }
      }
      return list;
    }

    /** Benchmarks that failed plus scenarios that failed. */
    public long failedCount() {
      return questions.stream().mapToLong(QuestionOutcome::failedCount).sum()
          + scenarios.stream().filter(ScenarioOutcome::isFailed).count();
    }
  }

  private final Instant started;
  private final String settings;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<QuestionOutcome> questions = new ArrayList<>();
  private final List<ScenarioOutcome> scenarios = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private Status status = Status.RUNNING;

  public RunRecord(Instant started, String settings) {
    this.started = Objects.requireNonNull(started, "started");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public synchronized void environment(String key, String value) {
    environment.put(key, value);
  }

  public synchronized void add(QuestionOutcome outcome) {
    questions.add(outcome);
  }

  public synchronized void add(ScenarioOutcome outcome) {
    scenarios.add(outcome);
  }

  /** A sentence for the report's notes (e.g. Redis could not start). */
  public synchronized void note(String sentence) {
    notes.add(sentence);
  }

  public synchronized Status status() {
    return status;
  }

  /** Sets the status unless the run is already over (complete or interrupted). */
  public synchronized boolean finish(Status newStatus) {
    if (status != Status.RUNNING) {
      return false;
    }
    status = newStatus;
    return true;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(status, started, Instant.now(), settings, environment, questions, scenarios, notes);
  }
}
