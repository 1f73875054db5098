package io.headroom.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy-in snippet compiles alone, with the JDK and no classpath. */
class SnippetCompilationTest {
  private static final Path SNIPPET =
      Path.of("src/main/java/io/headroom/shedding/snippets/AimdPriorityLimiter.java");

  @Test
  void aimdPriorityLimiterCompilesAloneWithNoClasspath(@TempDir Path out) throws Exception {
    assertThat(SNIPPET).exists();
    String source = Files.readString(SNIPPET);
    assertThat(source).contains("Copy-in snippet").doesNotContain("import org.").doesNotContain("import io.");
    Path copy = out.resolve("src/AimdPriorityLimiter.java");
    Files.createDirectories(copy.getParent());
    Files.writeString(copy, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            null,
            new PrintStream(errors, true, StandardCharsets.UTF_8),
            List.of(
                    "-classpath", "",
                    "--release", "17",
                    "-Xlint:all",
                    "-Werror",
                    "-d", out.resolve("classes").toString(),
                    copy.toString())
                .toArray(new String[0]));
    assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(rc).isZero();
    assertThat(out.resolve("classes/io/headroom/shedding/snippets/AimdPriorityLimiter.class")).exists();
  }
}
