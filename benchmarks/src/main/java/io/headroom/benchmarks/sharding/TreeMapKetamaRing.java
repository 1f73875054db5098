package io.headroom.benchmarks.sharding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The peer users write by hand: a ketama ring in a {@code TreeMap<Long, String>} with 160 virtual
 * nodes per server (40 MD5 digests × 4 points), keys hashed with MD5 through a fresh
 * {@link MessageDigest} per call, as the usual copy-pasted Java ketama does. Immutable after
 * construction; {@link #route} is thread-safe.
 */
public final class TreeMapKetamaRing {
  private final TreeMap<Long, String> ring = new TreeMap<>();

  public TreeMapKetamaRing(List<String> servers) {
    MessageDigest md5 = md5();
    for (String server : servers) {
      for (int k = 0; k < 40; k++) {
        byte[] d = md5.digest((server + "-" + k).getBytes(StandardCharsets.UTF_8));
        for (int h = 0; h < 4; h++) {
          ring.put(point(d, h), server);
        }
      }
    }
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long point(byte[] d, int h) {
    return ((long) (d[3 + h * 4] & 0xFF) << 24) | ((d[2 + h * 4] & 0xFF) << 16)
        | ((d[1 + h * 4] & 0xFF) << 8) | (d[h * 4] & 0xFF);
  }

  /** The server for a string key. */
  public String route(String key) {
    return route(point(md5().digest(key.getBytes(StandardCharsets.UTF_8)), 0));
  }

  /** The server for a 32-bit point (the low 32 bits of {@code hash}). */
  public String route(long hash) {
    Map.Entry<Long, String> e = ring.ceilingEntry(hash & 0xFFFFFFFFL);
    return e != null ? e.getValue() : ring.firstEntry().getValue();
  }

  /** Points on the ring. */
  public int size() {
    return ring.size();
  }
}
