package io.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {

  public record User(String name, int age) {}

  @Test
  void utf8AndBytesRoundTrip() {
    assertThat(ValueCodec.utf8().decode(ValueCodec.utf8().encode("héllo ✓"))).isEqualTo("héllo ✓");
    assertThat(ValueCodec.utf8().encode("é")).containsExactly(0xC3 - 256, 0xA9 - 256);
    byte[] b = {1, 2, 3};
    assertThat(ValueCodec.bytes().decode(ValueCodec.bytes().encode(b))).containsExactly(1, 2, 3);
  }

  @Test
  void jsonRoundTripsRecordsAndGenericTypes() {
    JsonValueCodec<User> codec = JsonValueCodec.of(User.class);
    byte[] json = codec.encode(new User("ada", 36));
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"ada\",\"age\":36}");
    assertThat(codec.decode(json)).isEqualTo(new User("ada", 36));
    JsonValueCodec<List<User>> list = JsonValueCodec.of(new ObjectMapper(), new TypeReference<List<User>>() {}.getType());
    assertThat(list.decode(list.encode(List.of(new User("a", 1))))).containsExactly(new User("a", 1));
  }

  @Test
  void jsonDecodeOfGarbageThrows() {
    assertThatThrownBy(() -> JsonValueCodec.of(User.class).decode(new byte[] {1, 2, 3})).isInstanceOf(RuntimeException.class);
  }

  @Test
  void keyCodecsRoundTrip() {
    KeyCodec<Long> longs = KeyCodec.of(String::valueOf, Long::valueOf);
    assertThat(longs.decode(longs.encode(42L))).isEqualTo(42L);
    assertThat(KeyCodec.string().encode("a:b")).isEqualTo("a:b");
  }
}
