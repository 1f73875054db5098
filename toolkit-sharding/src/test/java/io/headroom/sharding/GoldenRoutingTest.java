package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Pins routing to the committed golden files under {@code src/test/resources/golden}: the README
 * promises that a key routes to the same node on every JVM, OS and version. A change that breaks
 * one of these is a breaking change. To regenerate after an intended break (never silently), run
 * with {@code -Dheadroom.golden.write=true}.
 */
class GoldenRoutingTest {
  static final Path DIR = Path.of("src/test/resources/golden");
  static final boolean WRITE = Boolean.getBoolean("headroom.golden.write");

  /** The nodes of every golden file but ketama's: ten named nodes, node-3 and node-7 heavier where weights apply. */
  static ShardRouter<String> goldenRouter(Algorithm algorithm) {
    ShardRouterBuilder<String> b = ShardRouter.builder(algorithm);
    boolean weighted = algorithm != Algorithm.JUMP && algorithm != Algorithm.ANCHOR;
    for (int i = 0; i < 10; i++) {
      b.node("node-" + i, weighted && (i == 3 || i == 7) ? 2.0 : 1.0);
    }
    return b.build();
  }

  static List<String> lines(ShardRouter<String> router) {
    List<String> lines = new ArrayList<>();
    lines.add("# key<TAB>route(key)<TAB>route(key, 3); nodes " + router.nodes() + ", " + router.algorithm());
    for (int i = 0; i < 300; i++) {
      String key = i % 10 == 9 ? "ключ-" + i : "key-" + i;
      lines.add(key + "\t" + router.route(key) + "\t" + String.join(",", router.route(key, 3)));
    }
    return lines;
  }

  static void check(String file, List<String> actual) throws IOException {
    Path path = DIR.resolve(file);
    if (WRITE) {
      Files.createDirectories(DIR);
      Files.write(path, actual, StandardCharsets.UTF_8);
    }
    assertThat(Files.readAllLines(path, StandardCharsets.UTF_8)).containsExactlyElementsOf(actual);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void routingMatchesTheGoldenFile(Algorithm algorithm) throws IOException {
    ShardRouter<String> router = algorithm == Algorithm.KETAMA ? KetamaCompatibilityTest.goldenServers() : goldenRouter(algorithm);
    check(algorithm.name().toLowerCase(Locale.ROOT) + ".txt", lines(router));
  }

  @Test
  void keyHashMatchesTheGoldenFile() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# key<TAB>KeyHash.hash(key) as unsigned hex (xxHash64, seed 0, UTF-8)");
    for (String key : List.of("", "a", "abc", "key-1", "user:1000", "ключ", "🔑", "a-key-longer-than-thirty-two-bytes-for-stripes")) {
      lines.add(key + "\t" + Long.toHexString(KeyHash.hash(key)));
    }
    check("keyhash.txt", lines);
  }
}
