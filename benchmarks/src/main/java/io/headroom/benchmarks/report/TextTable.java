package io.headroom.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with padded columns, for the terminal. Not thread-safe. */
public final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final int maxCell;

  /** Cells longer than {@code maxCell} characters are cut with an ellipsis. */
  public TextTable(List<String> header, int maxCell) {
    this.header = List.copyOf(header);
    this.maxCell = maxCell;
  }

  public TextTable row(List<String> cells) {
    rows.add(List.copyOf(cells));
    return this;
  }

  /** The table, each line prefixed with {@code indent}, ending in a newline. */
  public String render(String indent) {
    int[] width = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < width.length && i < row.size(); i++) {
        width[i] = Math.max(width[i], cut(row.get(i)).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < all.size(); r++) {
      List<String> row = all.get(r);
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < width.length; i++) {
        String cell = i < row.size() ? cut(row.get(i)) : "";
        line.append(cell).append(" ".repeat(width[i] - cell.length()));
        if (i < width.length - 1) {
          line.append("  ");
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        int total = 0;
        for (int w : width) {
          total += w;
        }
        sb.append(indent).append("-".repeat(total + 2 * (width.length - 1))).append('\n');
      }
    }
    return sb.toString();
  }

  private String cut(String s) {
    return s.length() <= maxCell ? s : s.substring(0, maxCell - 1) + "…";
  }
}
