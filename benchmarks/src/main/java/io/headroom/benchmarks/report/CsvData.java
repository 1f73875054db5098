package io.headroom.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file as {@link io.headroom.benchmarks.scenario.ScenarioResult.Builder#csv} writes it:
 * a header line, then rows of plain comma-separated cells (no quoting). Immutable.
 */
public record CsvData(List<String> header, List<List<String>> rows) {

  public CsvData {
    header = List.copyOf(header);
    rows = rows.stream().map(List::copyOf).toList();
  }

  public static CsvData read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + " is empty (expected: a header line)");
    }
    List<String> header = split(lines.get(0));
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        rows.add(split(line));
      }
    }
    return new CsvData(header, rows);
  }

  private static List<String> split(String line) {
    return Arrays.stream(line.split(",", -1)).map(String::trim).toList();
  }

  /** The index of {@code column}. */
  public int column(String column) throws IOException {
    int i = header.indexOf(column);
    if (i < 0) {
      throw new IOException("no column " + column + " in " + header);
    }
    return i;
  }

  /** The cell, or the empty string when the row is short. */
  public String cell(List<String> row, int column) {
    return column < row.size() ? row.get(column) : "";
  }

  /** The cell as a number; NaN when empty or not a number. */
  public double number(List<String> row, int column) {
    String s = cell(row, column);
    if (s.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
