package io.headroom.cache.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pub/sub invalidation message: {@code [format 1][sender id 16][count 4]} then per key
 * {@code [length 4][UTF-8 encoded key]}. The sender id lets an instance ignore its own
 * messages. Not API.
 */
final class InvalidationMessage {
  static final byte FORMAT = 1;

  private InvalidationMessage() {}

  static byte[] encode(byte[] senderId, List<String> encodedKeys) {
    List<byte[]> bytes = new ArrayList<>(encodedKeys.size());
    int size = 1 + 16 + 4;
    for (String k : encodedKeys) {
      byte[] b = k.getBytes(StandardCharsets.UTF_8);
      bytes.add(b);
      size += 4 + b.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.put(FORMAT).put(senderId, 0, 16).putInt(bytes.size());
    for (byte[] b : bytes) {
      buf.putInt(b.length).put(b);
    }
    return buf.array();
  }

  /** Whether the message was sent by {@code senderId}. */
  static boolean isFrom(byte[] message, byte[] senderId) {
    if (message.length < 17) {
      return false;
    }
    for (int i = 0; i < 16; i++) {
      if (message[1 + i] != senderId[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The encoded keys of a message.
   *
   * @throws IllegalArgumentException if the message is malformed
   */
  static List<String> keys(byte[] message) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(message);
      if (buf.get() != FORMAT) {
        throw new IllegalArgumentException("unknown invalidation message format " + message[0]);
      }
      buf.position(17);
      int n = buf.getInt();
      if (n < 0 || n > message.length) {
        throw new IllegalArgumentException("bad key count " + n);
      }
      List<String> keys = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int len = buf.getInt();
        if (len < 0 || len > buf.remaining()) {
          throw new IllegalArgumentException("bad key length " + len);
        }
        keys.add(new String(message, buf.position(), len, StandardCharsets.UTF_8));
        buf.position(buf.position() + len);
      }
      return keys;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated invalidation message", e);
    }
  }
}
