package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing in the module's main code waits inside {@code synchronized}: a virtual thread that
 * blocks while holding a monitor pins its carrier thread (before JDK 24), so the module uses
 * {@code java.util.concurrent} locks, CAS and parking instead.
 */
class NoSynchronizedTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern KEYWORD = Pattern.compile("\\bsynchronized\\b");

  @Test
  void mainSourcesUseNoSynchronized() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(MAIN)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    // Every package: the limiter and the algorithms, the guards, the internals and the snippets.
    assertThat(sources)
        .hasSizeGreaterThan(40)
        .contains(
            MAIN.resolve("io/headroom/shedding/AdaptiveLimiter.java"),
            MAIN.resolve("io/headroom/shedding/AdaptiveThrottle.java"),
            MAIN.resolve("io/headroom/shedding/internal/RttWindow.java"),
            MAIN.resolve("io/headroom/shedding/guard/Guard.java"),
            MAIN.resolve("io/headroom/shedding/guard/internal/SharedTimer.java"),
            MAIN.resolve("io/headroom/shedding/snippets/AimdPriorityLimiter.java"));
    List<String> found = new ArrayList<>();
    for (Path source : sources) {
      found.addAll(keywordLines(source.toString(), Files.readString(source, StandardCharsets.UTF_8)));
    }
    assertThat(found).isEmpty();
  }

  @Test
  void theScanIgnoresCommentsAndStringsButFindsTheKeywordInCode() {
    String source =
        String.join(
            "\n",
            "/** Never {@code synchronized}. */",
            "class A {",
            "  // synchronized here is a comment",
            "  /* synchronized",
            "     synchronized */ String s = \"synchronized \\\" synchronized\";",
            "  String t = \"\"\"",
            "      synchronized",
            "      \"\"\";",
            "  char c = '\"'; int unsynchronized;",
            "  synchronized void m() {}",
            "  void n() { synchronized (this) {} } // synchronized",
            "}");
    assertThat(keywordLines("A.java", source)).containsExactly("A.java:10", "A.java:11");
  }

  /** {@code file:line} of each line whose code (comments and literals removed) has the keyword. */
  static List<String> keywordLines(String file, String source) {
    String[] lines = code(source).split("\n", -1);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      Matcher m = KEYWORD.matcher(lines[i]);
      if (m.find()) {
        found.add(file + ":" + (i + 1));
      }
    }
    return found;
  }

  /**
   * The source with comments, string, text-block and char literals blanked out; line breaks are
   * kept so line numbers still match.
   */
  static String code(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        i = blank(source, i, source.indexOf('\n', i), 0, out);
      } else if (source.startsWith("/*", i)) {
        i = blank(source, i, source.indexOf("*/", i + 2), 2, out);
      } else if (source.startsWith("\"\"\"", i)) {
        i = blank(source, i, closing(source, i + 3, "\"\"\""), 3, out);
      } else if (c == '"' || c == '\'') {
        i = blank(source, i, closing(source, i + 1, String.valueOf(c)), 1, out);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index of the unescaped {@code delimiter} at or after {@code from}, or -1. */
  private static int closing(String source, int from, String delimiter) {
    for (int i = from; i < source.length(); i++) {
      if (source.charAt(i) == '\\') {
        i++;
      } else if (source.startsWith(delimiter, i)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Blanks {@code [start, end + endLength)} (to the end of the source if {@code end} is -1),
   * keeping line breaks; returns the index after it.
   */
  private static int blank(String source, int start, int end, int endLength, StringBuilder out) {
    int stop = end < 0 ? source.length() : end + endLength;
    for (int i = start; i < stop; i++) {
      out.append(source.charAt(i) == '\n' ? '\n' : ' ');
    }
    return stop;
  }
}
