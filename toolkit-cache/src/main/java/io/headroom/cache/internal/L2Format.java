package io.headroom.cache.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The bytes stored under a cache key in Redis. Not API.
 *
 * <pre>
 * value:     [1][version:8][writtenAtMillis:8][expiresAtMillis:8][codec bytes]
 * absent:    [2][version:8][writtenAtMillis:8][expiresAtMillis:8]
 * tombstone: [0][token:8]
 * </pre>
 *
 * The first 9 bytes (type and version/token) identify a state: loads write back with a
 * compare-and-set against the 9 bytes they observed (or against "no key"), so an invalidation
 * or put in between (which always writes a new version) makes the write-back fail.
 * {@code expiresAtMillis} is the logical expiry; the physical Redis TTL may be longer by the
 * stale-if-error bound.
 */
final class L2Format {
  static final byte TOMBSTONE = 0;
  static final byte VALUE = 1;
  static final byte ABSENT = 2;
  static final int HEADER = 25;
  static final int STATE_ID = 9;
  static final byte[] NO_KEY = new byte[0];

  private L2Format() {}

  static long newVersion() {
    long v;
    do {
      v = ThreadLocalRandom.current().nextLong();
    } while (v == 0);
    return v;
  }

  static byte[] value(long version, long writtenAt, long expiresAt, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
    b.put(VALUE).putLong(version).putLong(writtenAt).putLong(expiresAt).put(payload);
    return b.array();
  }

  static byte[] absent(long version, long writtenAt, long expiresAt) {
    ByteBuffer b = ByteBuffer.allocate(HEADER);
    b.put(ABSENT).putLong(version).putLong(writtenAt).putLong(expiresAt);
    return b.array();
  }

  static byte[] tombstone() {
    ByteBuffer b = ByteBuffer.allocate(STATE_ID);
    b.put(TOMBSTONE).putLong(newVersion());
    return b.array();
  }

  /** The compare-and-set identity of stored bytes (their first 9 bytes), or NO_KEY. */
  static byte[] stateId(byte @Nullable [] stored) {
    if (stored == null) {
      return NO_KEY;
    }
    return Arrays.copyOf(stored, Math.min(STATE_ID, stored.length));
  }

  static byte[] stateIdOf(byte type, long version) {
    return ByteBuffer.allocate(STATE_ID).put(type).putLong(version).array();
  }

  /** A parsed stored entry. */
  static final class Parsed {
    final byte type;
    final long version;
    final long writtenAt;
    final long expiresAt;
    final byte[] stored;

    Parsed(byte type, long version, long writtenAt, long expiresAt, byte[] stored) {
      this.type = type;
      this.version = version;
      this.writtenAt = writtenAt;
      this.expiresAt = expiresAt;
      this.stored = stored;
    }

    byte[] payload() {
      return Arrays.copyOfRange(stored, HEADER, stored.length);
    }
  }

  /**
   * Parses stored bytes.
   *
   * @throws IllegalArgumentException if they are not in this format
   */
  static Parsed parse(byte[] stored) {
    if (stored.length == 0) {
      throw new IllegalArgumentException("empty entry");
    }
    byte type = stored[0];
    if (type == TOMBSTONE && stored.length == STATE_ID) {
      return new Parsed(type, ByteBuffer.wrap(stored, 1, 8).getLong(), 0, 0, stored);
    }
    if ((type == VALUE && stored.length >= HEADER) || (type == ABSENT && stored.length == HEADER)) {
      ByteBuffer b = ByteBuffer.wrap(stored);
      b.get();
      return new Parsed(type, b.getLong(), b.getLong(), b.getLong(), stored);
    }
    throw new IllegalArgumentException("unknown entry format (type " + type + ", " + stored.length + " bytes)");
  }
}
