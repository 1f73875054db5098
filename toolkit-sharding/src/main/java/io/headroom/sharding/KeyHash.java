package io.headroom.sharding;

import io.headroom.sharding.internal.XxHash64;
import java.util.Objects;
import net.openhft.hashing.LongHashFunction;

/**
 * The stable 64-bit key hash every router uses (except {@link Algorithm#KETAMA}, which uses
 * ketama's MD5): xxHash64 with seed 0 of the key's bytes; a {@link CharSequence} is hashed as its
 * UTF-8 bytes, so {@code hash("é")} equals {@code hash("é".getBytes(UTF_8))}.
 *
 * <p>Stability: the output of these methods is part of this library's compatibility promise; it is
 * the same on every JVM, OS and version (golden tests pin it). Use these to pre-hash a key once and
 * pass the {@code long} to {@link ShardRouter#route(long)}.
 *
 * <p>Cost: a few ns for a 16-byte key; {@link #hash(CharSequence)} and {@link #hash(long)} allocate
 * nothing. Stateless and thread-safe.
 */
public final class KeyHash {
  private static final LongHashFunction XX = LongHashFunction.xx(0);

  private KeyHash() {}

  /** xxHash64 (seed 0) of {@code key}. */
  public static long hash(byte[] key) {
    Objects.requireNonNull(key, "key");
    return XX.hashBytes(key);
  }

  /** xxHash64 (seed 0) of the UTF-8 encoding of {@code key}, without encoding it into an array. */
  public static long hash(CharSequence key) {
    Objects.requireNonNull(key, "key");
    return XxHash64.hashUtf8(key, 0);
  }

  /**
   * xxHash64 (seed 0) of the 8 little-endian bytes of {@code id}: turns an id (a sequence number,
   * a user id) into a well-mixed key hash for {@link ShardRouter#route(long)}.
   */
  public static long hash(long id) {
    return XX.hashLong(id);
  }
}
