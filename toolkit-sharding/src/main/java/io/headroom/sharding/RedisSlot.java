package io.headroom.sharding;

import java.util.Objects;

/**
 * Redis Cluster's key → hash slot function, as {@code CLUSTER KEYSLOT} computes it: CRC16 (the
 * XMODEM variant: polynomial 0x1021, initial value 0, no reflection) of the key, modulo 16384. If
 * the key contains an opening brace and, after it, a closing brace with at least one byte between
 * them, only the bytes between the first opening brace and the first closing brace after it are hashed (the
 * hash tag), so <code>&#123;user1000&#125;.following</code> and
 * <code>&#123;user1000&#125;.followers</code> share a slot; an empty tag
 * (<code>foo&#123;&#125;&#123;bar&#125;</code>) hashes the whole key.
 *
 * <p>A {@link CharSequence} key is hashed as its UTF-8 bytes, streamed without an intermediate
 * array. Tests check the documented examples and random keys against a real {@code redis-server}.
 * Stateless and thread-safe; allocates nothing.
 */
public final class RedisSlot {
  /** The number of hash slots in a Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[i] = crc & 0xFFFF;
    }
  }

  private RedisSlot() {}

  /** The slot of {@code key}, in {@code [0, 16384)}. */
  public static int slot(byte[] key) {
    Objects.requireNonNull(key, "key");
    int start = 0;
    int end = key.length;
    for (int i = 0; i < key.length; i++) {
      if (key[i] == '{') {
        for (int j = i + 1; j < key.length; j++) {
          if (key[j] == '}') {
            if (j > i + 1) {
              start = i + 1;
              end = j;
            }
            break;
          }
        }
        break;
      }
    }
    int crc = 0;
    for (int i = start; i < end; i++) {
      crc = update(crc, key[i]);
    }
    return crc & (SLOTS - 1);
  }

  /** The slot of the UTF-8 encoding of {@code key}, in {@code [0, 16384)}. */
  public static int slot(CharSequence key) {
    Objects.requireNonNull(key, "key");
    // '{' and '}' are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte sequence, so
    // finding the tag among the chars finds the same bytes.
    int start = 0;
    int end = key.length();
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '{') {
        for (int j = i + 1; j < key.length(); j++) {
          if (key.charAt(j) == '}') {
            if (j > i + 1) {
              start = i + 1;
              end = j;
            }
            break;
          }
        }
        break;
      }
    }
    return crc16Utf8(key, start, end) & (SLOTS - 1);
  }

  /** CRC16-XMODEM of {@code bytes} (e.g. 0x31C3 for {@code "123456789"}). */
  public static int crc16(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc = update(crc, b);
    }
    return crc;
  }

  private static int update(int crc, int b) {
    return ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xFF]) & 0xFFFF;
  }

  private static int crc16Utf8(CharSequence s, int start, int end) {
    int crc = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        crc = update(crc, c);
      } else if (c < 0x800) {
        crc = update(crc, 0xC0 | (c >>> 6));
        crc = update(crc, 0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(i + 1));
          i++;
          crc = update(crc, 0xF0 | (cp >>> 18));
          crc = update(crc, 0x80 | ((cp >>> 12) & 0x3F));
          crc = update(crc, 0x80 | ((cp >>> 6) & 0x3F));
          crc = update(crc, 0x80 | (cp & 0x3F));
        } else {
          crc = update(crc, '?');
        }
      } else {
        crc = update(crc, 0xE0 | (c >>> 12));
        crc = update(crc, 0x80 | ((c >>> 6) & 0x3F));
        crc = update(crc, 0x80 | (c & 0x3F));
      }
    }
    return crc;
  }
}
