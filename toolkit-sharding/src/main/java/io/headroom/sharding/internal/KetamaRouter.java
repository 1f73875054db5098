package io.headroom.sharding.internal;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * libmemcached's weighted ketama continuum (also libketama's and twemproxy's): server i gets
 * {@code floor(pct × 160 / 4 × servers + 1e-10) × 4} points (pct = w_i / Σw, in {@code float}
 * arithmetic as libmemcached computes it; 160 when weights are equal); for each
 * {@code k < points / 4}, MD5({@code "<name>-<k>"}) gives four little-endian 32-bit points. A key's
 * point is the first four bytes (little-endian) of MD5 of the key; it goes to the first server
 * point at or after it, wrapping to the first. Immutable. Not API.
 */
public final class KetamaRouter<N> extends AbstractRouter<N> {
  /** Points per server in libmemcached's weighted ketama ({@code MEMCACHED_POINTS_PER_SERVER_KETAMA}). */
  public static final int POINTS_PER_SERVER = 160;

  private static final ThreadLocal<Md5> MD5 = ThreadLocal.withInitial(Md5::new);

  private final PointRing ring;

  public KetamaRouter(RouterConfig<N> config, List<N> nodes, double[] weights) {
    super(config, nodes, weights);
    if (nodes.size() > PointRing.MAX_OWNERS) {
      throw new IllegalArgumentException("nodes: " + nodes.size() + " (expected: <= " + PointRing.MAX_OWNERS + ")");
    }
    double totalWeight = 0;
    for (double w : weights) {
      totalWeight += w;
    }
    int[] counts = new int[nodes.size()];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = pointsPerServer(weights[i], totalWeight, counts.length);
      total += counts[i];
    }
    long[] points = new long[(int) total];
    int p = 0;
    MessageDigest md = Md5.newDigest();
    for (int i = 0; i < counts.length; i++) {
      String name = name(nodes.get(i));
      for (int k = 0; k < counts[i] / 4; k++) {
        byte[] d = md.digest((name + "-" + k).getBytes(StandardCharsets.UTF_8));
        for (int h = 0; h < 4; h++) {
          points[p++] = (point(d, h) << PointRing.OWNER_BITS) | i;
        }
      }
    }
    this.ring = new PointRing(points);
  }

  /** libmemcached's {@code pointer_per_server}, in its float arithmetic. */
  static int pointsPerServer(double weight, double totalWeight, int servers) {
    float pct = (float) weight / (float) totalWeight;
    float f = (float) ((double) (pct * POINTS_PER_SERVER / 4 * (float) servers) + 0.0000000001);
    return (int) (Math.floor(f) * 4);
  }

  /** The {@code h}-th little-endian 32-bit word of an MD5 digest, unsigned. */
  static long point(byte[] d, int h) {
    return ((d[3 + h * 4] & 0xFFL) << 24)
        | ((d[2 + h * 4] & 0xFFL) << 16)
        | ((d[1 + h * 4] & 0xFFL) << 8)
        | (d[h * 4] & 0xFFL);
  }

  @Override
  protected int index(long hash) {
    return ring.owner(ring.slot((hash & 0xFFFFFFFFL) << PointRing.OWNER_BITS));
  }

  @Override
  protected void preference(long hash, int[] out) {
    ring.preference((hash & 0xFFFFFFFFL) << PointRing.OWNER_BITS, out, seenArray(out.length));
  }

  @Override
  protected long hashKey(byte[] key) {
    Md5 md5 = MD5.get();
    md5.digest.update(key);
    return md5.finish();
  }

  @Override
  protected long hashKey(CharSequence key) {
    Md5 md5 = MD5.get();
    Utf8.update(md5.digest, key);
    return md5.finish();
  }

  /** A thread's MD5 digest and output buffer, reused so a key hash allocates nothing. */
  private static final class Md5 {
    final MessageDigest digest = newDigest();
    final byte[] out = new byte[16];

    static MessageDigest newDigest() {
      try {
        return MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("MD5 is required of every Java platform", e);
      }
    }

    long finish() {
      try {
        digest.digest(out, 0, 16);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
      return point(out, 0);
    }
  }
}
