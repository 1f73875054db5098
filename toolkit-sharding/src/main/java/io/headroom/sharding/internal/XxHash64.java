package io.headroom.sharding.internal;

/**
 * xxHash64 (Yann Collet's XXH64, the algorithm of {@code xxhash.h}) over the UTF-8 encoding of a
 * {@link CharSequence}, streamed char by char: no intermediate byte array, no allocation. The
 * output equals XXH64 of {@code s.toString().getBytes(UTF_8)} with the same seed (tests check it
 * against zero-allocation-hashing and the published vectors); unpaired surrogates are encoded as
 * {@code '?'}, as {@link String#getBytes(java.nio.charset.Charset)} does.
 *
 * <p>Stateless and thread-safe. Not API.
 */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** XXH64 of the UTF-8 bytes of {@code s} with {@code seed}. */
  public static long hashUtf8(CharSequence s, long seed) {
    long v1 = seed + P1 + P2;
    long v2 = seed + P2;
    long v3 = seed;
    long v4 = seed - P1;
    // The current 32-byte stripe: w0..w2 complete words, cur the word being filled.
    long w0 = 0;
    long w1 = 0;
    long w2 = 0;
    long cur = 0;
    int filled = 0; // bytes in the current stripe, 0..31
    long total = 0;
    int length = s.length();
    for (int i = 0; i < length; i++) {
      if ((filled & 7) == 0 && i + 8 <= length) {
        // Fast path: eight ASCII chars make one whole little-endian word.
        long word = 0;
        int j = 0;
        for (; j < 8; j++) {
          char cj = s.charAt(i + j);
          if (cj >= 0x80) {
            break;
          }
          word |= ((long) cj) << (8 * j);
        }
        if (j == 8) {
          total += 8;
          filled += 8;
          switch (filled >>> 3) {
            case 1 -> w0 = word;
            case 2 -> w1 = word;
            case 3 -> w2 = word;
            default -> {
              v1 = round(v1, w0);
              v2 = round(v2, w1);
              v3 = round(v3, w2);
              v4 = round(v4, word);
              filled = 0;
            }
          }
          i += 7;
          continue;
        }
      }
      char c = s.charAt(i);
      int bytes; // the UTF-8 encoding, first byte in the low 8 bits
      int count;
      if (c < 0x80) {
        bytes = c;
        count = 1;
      } else if (c < 0x800) {
        bytes = (0xC0 | (c >>> 6)) | ((0x80 | (c & 0x3F)) << 8);
        count = 2;
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(i + 1));
          i++;
          bytes =
              (0xF0 | (cp >>> 18))
                  | ((0x80 | ((cp >>> 12) & 0x3F)) << 8)
                  | ((0x80 | ((cp >>> 6) & 0x3F)) << 16)
                  | ((0x80 | (cp & 0x3F)) << 24);
          count = 4;
        } else {
          bytes = '?'; // malformed: what String.getBytes(UTF_8) writes
          count = 1;
        }
      } else {
        bytes =
            (0xE0 | (c >>> 12)) | ((0x80 | ((c >>> 6) & 0x3F)) << 8) | ((0x80 | (c & 0x3F)) << 16);
        count = 3;
      }
      total += count;
      for (int b = 0; b < count; b++) {
        cur |= ((long) ((bytes >>> (8 * b)) & 0xFF)) << (8 * (filled & 7));
        filled++;
        if ((filled & 7) == 0) {
          switch (filled >>> 3) {
            case 1 -> w0 = cur;
            case 2 -> w1 = cur;
            case 3 -> w2 = cur;
            default -> {
              v1 = round(v1, w0);
              v2 = round(v2, w1);
              v3 = round(v3, w2);
              v4 = round(v4, cur);
              filled = 0;
            }
          }
          cur = 0;
        }
      }
    }
    long h;
    if (total >= 32) {
      h =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += total;
    int words = filled >>> 3;
    if (words > 0) {
      h = tailWord(h, w0);
    }
    if (words > 1) {
      h = tailWord(h, w1);
    }
    if (words > 2) {
      h = tailWord(h, w2);
    }
    int rest = filled & 7;
    if (rest >= 4) {
      h ^= (cur & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      cur >>>= 32;
      rest -= 4;
    }
    for (; rest > 0; rest--) {
      h ^= (cur & 0xFF) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      cur >>>= 8;
    }
    return avalanche(h);
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long merge(long h, long v) {
    h ^= round(0, v);
    return h * P1 + P4;
  }

  private static long tailWord(long h, long word) {
    h ^= round(0, word);
    return Long.rotateLeft(h, 27) * P1 + P4;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  /** A 64-bit finalizer (SplitMix64's), used to derive per-node and per-bucket hashes. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Maps a 64-bit hash onto {@code [0, n)} by multiply-shift of its high 32 bits (Lemire). */
  public static int range(long hash, int n) {
    return (int) (((hash >>> 32) * n) >>> 32);
  }
}
