package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each copy-in snippet compiles alone, with the JDK and no classpath. */
@Timeout(120)
class SnippetCompileTest {

  @ParameterizedTest
  @ValueSource(strings = {"JumpHash.java", "MaglevTable.java"})
  void snippetCompilesAloneWithNoClasspath(String file) throws Exception {
    Path source = Path.of("src/main/java/io/headroom/sharding/snippet", file);
    assertThat(source).exists();
    assertThat(Files.readString(source)).contains("Copy-in snippet");
    Path out = Files.createTempDirectory("snippet-");
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = compiler.run(null, null, errors,
        "-classpath", "", "-proc:none", "-Xlint:all", "-Werror", "-d", out.toString(), source.toString());
    assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.resolve("io/headroom/sharding/snippet/" + file.replace(".java", ".class"))).exists();
  }
}
