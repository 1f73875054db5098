package io.headroom.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MovementTest {

  @Test
  void removingANodeReportsExactlyItsKeysAsTransfersFromIt() {
    ShardRouter<String> before = ShardRouter.<String>builder(Algorithm.RENDEZVOUS).nodes(List.of("a", "b", "c", "d")).build();
    ShardRouter<String> after = before.withoutNode("c");
    List<String> keys = new ArrayList<>();
    long onC = 0;
    for (int i = 0; i < 10_000; i++) {
      keys.add("k" + i);
      if (before.route("k" + i).equals("c")) {
        onC++;
      }
    }
    Movement<String> m = Movement.between(before, after, keys);
    assertThat(m.sampleSize()).isEqualTo(10_000);
    assertThat(m.movedKeys()).isEqualTo(onC);
    assertThat(m.movedFraction()).isEqualTo(onC / 10_000.0);
    assertThat(m.outgoing()).containsOnlyKeys("c").containsEntry("c", onC);
    assertThat(m.incoming().keySet()).containsExactlyInAnyOrder("a", "b", "d");
    assertThat(m.incoming().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(onC);
    assertThat(m.transfers()).hasSize(3).allSatisfy(t -> assertThat(t.from()).isEqualTo("c"));
    assertThat(m.transfers()).isSortedAccordingTo((x, y) -> Long.compare(y.keys(), x.keys()));
    for (Movement.Transfer<String> t : m.transfers()) {
      long exact = keys.stream().filter(k -> before.route(k).equals("c") && after.route(k).equals(t.to())).count();
      assertThat(t.keys()).isEqualTo(exact);
      assertThat(t.fraction()).isEqualTo(exact / 10_000.0);
    }
  }

  @Test
  void sampledMovementIsRepeatableAndNearTheExpectedFraction() {
    ShardRouter<Integer> before = ShardRouter.<Integer>builder(Algorithm.JUMP).nodes(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)).build();
    ShardRouter<Integer> after = before.withNode(10);
    Movement<Integer> m1 = Movement.between(before, after, 100_000, 99);
    Movement<Integer> m2 = Movement.between(before, after, 100_000, 99);
    assertThat(m1.movedKeys()).isEqualTo(m2.movedKeys());
    assertThat(m1.movedFraction()).isBetween(1 / 11.0 - 0.01, 1 / 11.0 + 0.01);
    Map<Integer, Long> incoming = m1.incoming();
    assertThat(incoming).containsOnlyKeys(10);
    assertThat(m1.outgoing()).hasSize(10);
  }

  @Test
  void identicalRoutersMoveNothing() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.MAGLEV).nodes(List.of("a", "b")).build();
    Movement<String> m = Movement.between(r, r, 1000, 1);
    assertThat(m.movedKeys()).isZero();
    assertThat(m.transfers()).isEmpty();
    assertThat(m.toString()).contains("0 of 1000 keys");
  }

  @Test
  void badArgumentsAreRejected() {
    ShardRouter<String> r = ShardRouter.<String>builder(Algorithm.RING).node("a").build();
    assertThatThrownBy(() -> Movement.between(r, r, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleSize: 0");
    assertThatThrownBy(() -> Movement.between(r, r, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys: empty");
  }
}
