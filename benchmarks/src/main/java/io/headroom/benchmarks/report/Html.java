package io.headroom.benchmarks.report;

/** Escaping for HTML/XML text and attributes, and for Markdown table cells. */
public final class Html {
  private Html() {}

  /** Escapes {@code & < > " '} so the text is safe in XML text and attribute values. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          // Control characters other than tab and newline are not allowed in XML 1.0.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            sb.append(' ');
          } else {
            sb.append(c);
          }
      }
    }
    return sb.toString();
  }

  /** Makes text safe in one Markdown table cell: no pipe, no line break. */
  public static String mdCell(String s) {
    return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }
}
