package io.headroom.cache;

import java.nio.charset.StandardCharsets;

/**
 * Turns values into the bytes stored in Redis (L2) and back.
 *
 * <p>Built-ins: {@link #utf8()} for {@code String}, {@link #bytes()} for {@code byte[]}, and
 * {@link JsonValueCodec} through Jackson (an optional dependency). There is deliberately no Java
 * serialization codec. A {@link #decode} that throws (corrupt bytes, an incompatible deploy) is
 * treated by the cache as a miss: the entry is deleted, the failure counted and logged once.
 *
 * <p>Implementations must be thread-safe and should be stateless.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /** Encodes a non-null value. */
  byte[] encode(V value);

  /** Decodes bytes written by {@link #encode}; may throw on bytes it cannot read. */
  V decode(byte[] bytes);

  /** UTF-8 strings. */
  static ValueCodec<String> utf8() {
    return Utf8.INSTANCE;
  }

  /**
   * Raw bytes, stored as given. The cache keeps the array it is given and hands out the array it
   * decoded: callers must not mutate either.
   */
  static ValueCodec<byte[]> bytes() {
    return Bytes.INSTANCE;
  }

  /** The UTF-8 string codec. */
  enum Utf8 implements ValueCodec<String> {
    INSTANCE;

    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** The identity codec for byte arrays. */
  enum Bytes implements ValueCodec<byte[]> {
    INSTANCE;

    @Override
    public byte[] encode(byte[] value) {
      return value;
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes;
    }
  }
}
