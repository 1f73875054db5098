package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Requirement: the lookup path allocates nothing for long and CharSequence keys. */
class LookupAllocationTest {

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void routingLongAndCharSequenceKeysAllocatesNothing(Algorithm algorithm) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ShardRouter<String> r = ShardRouterBehaviourTest.router(algorithm, 100);
    String[] keys = new String[64];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "user:" + (1_000_000 + i) + ":ключ🔑"; // built before measuring
    }
    int sink = 0;
    for (int i = 0; i < 20_000; i++) { // warm-up (thread-locals, class init, JIT)
      sink += r.route(keys[i & 63]).length() + r.route((long) i * 0x9E3779B97F4A7C15L).length();
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 100_000; i++) {
      sink += r.route(keys[i & 63]).length() + r.route((long) i * 0x9E3779B97F4A7C15L).length();
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(sink).isPositive();
    // 200,000 lookups: even one 16-byte object each would be 3.2 MB; allow a little for the
    // measurement itself.
    assertThat(allocated).as("bytes allocated by 200,000 lookups").isLessThan(4096);
  }
}
