package io.headroom.sharding.internal;

import java.security.MessageDigest;

/** Feeds the UTF-8 encoding of a CharSequence to a digest byte by byte, allocating nothing. Not API. */
final class Utf8 {
  private Utf8() {}

  static void update(MessageDigest md, CharSequence s) {
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        md.update((byte) c);
      } else if (c < 0x800) {
        md.update((byte) (0xC0 | (c >>> 6)));
        md.update((byte) (0x80 | (c & 0x3F)));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          md.update((byte) (0xF0 | (cp >>> 18)));
          md.update((byte) (0x80 | ((cp >>> 12) & 0x3F)));
          md.update((byte) (0x80 | ((cp >>> 6) & 0x3F)));
          md.update((byte) (0x80 | (cp & 0x3F)));
        } else {
          md.update((byte) '?');
        }
      } else {
        md.update((byte) (0xE0 | (c >>> 12)));
        md.update((byte) (0x80 | ((c >>> 6) & 0x3F)));
        md.update((byte) (0x80 | (c & 0x3F)));
      }
    }
  }
}
