package io.headroom.cache;

import java.util.Objects;
import java.util.function.Function;

/**
 * Maps cache keys to the text that follows {@code <prefix>:<cache name>:} in a Redis key, and
 * back (the reverse is used to apply invalidations received from other instances).
 *
 * <p>{@code decode(encode(k))} must equal {@code k}. Implementations must be thread-safe.
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

  /** The Redis key suffix for {@code key}. */
  String encode(K key);

  /** The key whose {@link #encode} is {@code text}. */
  K decode(String text);

  /** String keys, used as they are. */
  static KeyCodec<String> string() {
    return of(Function.identity(), Function.identity());
  }

  /** A key codec from two functions, e.g. {@code KeyCodec.of(Long::toString, Long::valueOf)}. */
  static <K> KeyCodec<K> of(Function<? super K, String> encoder, Function<String, ? extends K> decoder) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
    return new KeyCodec<>() {
      @Override
      public String encode(K key) {
        return encoder.apply(key);
      }

      @Override
      public K decode(String text) {
        return decoder.apply(text);
      }
    };
  }
}
