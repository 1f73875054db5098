package io.headroom.benchmarks.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a scenario found: tables (shown in the terminal summary and the report), CSV series
 * (written into the run's output directory) and the charts the report draws from them.
 *
 * <p>Immutable once built; the builder is not thread-safe.
 */
public final class ScenarioResult {

  /** A table: a title, a header row, and rows of already formatted cells. */
  public record Table(String title, List<String> header, List<List<String>> rows) {
    public Table {
      Objects.requireNonNull(title, "title");
      header = List.copyOf(header);
      rows = rows.stream().map(List::copyOf).toList();
      for (List<String> row : rows) {
        if (row.size() != header.size()) {
          throw new IllegalArgumentException(
              "row " + row + " has " + row.size() + " cells (expected: " + header.size() + ")");
        }
      }
    }
  }

  /** How a chart draws its series. */
  public enum ChartKind {
    /** One line per y column over the x column (time series). */
    LINE,
    /** One group of bars per row, one bar per y column (per algorithm, per producer count). */
    BAR
  }

  /**
   * A chart of columns of a CSV file this result wrote. For {@link ChartKind#BAR} the x column
   * holds the category labels.
   */
  public record Chart(
      ChartKind kind,
      String title,
      String csvFile,
      String xColumn,
      List<String> yColumns,
      String xLabel,
      String yLabel) {
    public Chart {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(csvFile, "csvFile");
      Objects.requireNonNull(xColumn, "xColumn");
      yColumns = List.copyOf(yColumns);
      Objects.requireNonNull(xLabel, "xLabel");
      Objects.requireNonNull(yLabel, "yLabel");
    }
  }

  private final List<Table> tables;
  private final List<String> csvFiles;
  private final List<Chart> charts;
  private final List<String> notes;

  private ScenarioResult(Builder builder) {
    this.tables = List.copyOf(builder.tables);
    this.csvFiles = List.copyOf(builder.csvFiles);
    this.charts = List.copyOf(builder.charts);
    this.notes = List.copyOf(builder.notes);
  }

  /** A builder that writes CSV files into {@code outputDir}. */
  public static Builder builder(Path outputDir) {
    return new Builder(outputDir);
  }

  public List<Table> tables() {
    return tables;
  }

  /** The CSV files written, as names relative to the output directory. */
  public List<String> csvFiles() {
    return csvFiles;
  }

  public List<Chart> charts() {
    return charts;
  }

  /** Sentences for the report: what was measured, goals met or missed, caveats. */
  public List<String> notes() {
    return notes;
  }

  /** Builds a {@link ScenarioResult}. Not thread-safe. */
  public static final class Builder {
    private final Path outputDir;
    private final List<Table> tables = new ArrayList<>();
    private final List<String> csvFiles = new ArrayList<>();
    private final List<Chart> charts = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(Path outputDir) {
      this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
    }

    public Builder table(String title, List<String> header, List<List<String>> rows) {
      tables.add(new Table(title, header, rows));
      return this;
    }

    /**
     * Writes {@code fileName} (e.g. {@code shedding-overload-aimd.csv}) into the output
     * directory: the header, then one line per row. Cells are written as given; numbers should
     * be formatted with {@link java.util.Locale#ROOT}.
     */
    public Builder csv(String fileName, List<String> header, List<List<String>> rows) {
      if (fileName.contains("/") || fileName.contains("\\") || !fileName.endsWith(".csv")) {
        throw new IllegalArgumentException("fileName: " + fileName + " (expected: a plain name ending in .csv)");
      }
      Path file = outputDir.resolve(fileName);
      try {
        Files.createDirectories(outputDir);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          out.write(String.join(",", header));
          out.write('\n');
          for (List<String> row : rows) {
            if (row.size() != header.size()) {
              throw new IllegalArgumentException(
                  "csv " + fileName + ": row " + row + " has " + row.size() + " cells (expected: " + header.size() + ")");
            }
            out.write(String.join(",", row));
            out.write('\n');
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      csvFiles.add(fileName);
      return this;
    }

    /** Adds a chart of columns of a CSV file written by {@link #csv} on this builder. */
    public Builder chart(
        ChartKind kind,
        String title,
        String csvFile,
        String xColumn,
        List<String> yColumns,
        String xLabel,
        String yLabel) {
      if (!csvFiles.contains(csvFile)) {
        throw new IllegalArgumentException("csvFile: " + csvFile + " (expected: one written by csv(...) first)");
      }
      charts.add(new Chart(kind, title, csvFile, xColumn, yColumns, xLabel, yLabel));
      return this;
    }

    public Builder note(String sentence) {
      notes.add(Objects.requireNonNull(sentence, "sentence"));
      return this;
    }

    public ScenarioResult build() {
      return new ScenarioResult(this);
    }
  }
}
