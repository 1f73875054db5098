package io.headroom.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pairs each peer with the Headroom benchmark it competes with and computes their ratio.
 *
 * <p>Within one question, benchmarks are compared only with the same mode and the same
 * {@code @Param} values. A peer is compared with the Headroom methods whose name after
 * {@code headroom} ends the peer's name ({@code caffeineHit} pairs with {@code headroomHit}); a
 * peer that matches none is compared with every Headroom method of its group.
 *
 * <p>The ratio is <em>peer cost ÷ Headroom cost</em>, where cost is time per operation (or the
 * inverse of throughput): above 1 Headroom is cheaper, below 1 the peer is.
 */
public final class Comparisons {
  private Comparisons() {}

  /** One peer against one Headroom benchmark. */
  public record Ratio(BenchmarkOutcome headroom, BenchmarkOutcome peer, double value) {}

  /** The ratios of every measured peer in {@code question}, keyed by the peer outcome. */
  public static Map<BenchmarkOutcome, List<Ratio>> ratios(QuestionOutcome question) {
    Map<String, List<BenchmarkOutcome>> groups = new LinkedHashMap<>();
    for (BenchmarkOutcome b : question.benchmarks()) {
      groups.computeIfAbsent(b.comparisonKey(), k -> new ArrayList<>()).add(b);
    }
    Map<BenchmarkOutcome, List<Ratio>> result = new LinkedHashMap<>();
    for (List<BenchmarkOutcome> group : groups.values()) {
      List<BenchmarkOutcome> headroom = group.stream().filter(BenchmarkOutcome::isHeadroom).toList();
      for (BenchmarkOutcome peer : group) {
        if (peer.isHeadroom() || peer.isFailed()) {
          continue;
        }
        List<Ratio> ratios = new ArrayList<>();
        for (BenchmarkOutcome h : partners(peer, headroom)) {
          double r = ratio(h, peer);
          if (!Double.isNaN(r)) {
            ratios.add(new Ratio(h, peer, r));
          }
        }
        if (!ratios.isEmpty()) {
          result.put(peer, ratios);
        }
      }
    }
    return result;
  }

  /** The Headroom methods {@code peer} is compared with. */
  static List<BenchmarkOutcome> partners(BenchmarkOutcome peer, List<BenchmarkOutcome> headroom) {
    String name = peer.method().toLowerCase(Locale.ROOT);
    List<BenchmarkOutcome> matching = new ArrayList<>();
    for (BenchmarkOutcome h : headroom) {
      String suffix = h.method().substring("headroom".length()).toLowerCase(Locale.ROOT);
      if (!suffix.isEmpty() && name.endsWith(suffix)) {
        matching.add(h);
      }
    }
    return matching.isEmpty() ? headroom : matching;
  }

  /** Peer cost ÷ Headroom cost; NaN when either is failed, not positive or not comparable. */
  public static double ratio(BenchmarkOutcome headroom, BenchmarkOutcome peer) {
    if (headroom.isFailed() || peer.isFailed() || !headroom.unit().equals(peer.unit())
        || !(headroom.score() > 0) || !(peer.score() > 0)) {
      return Double.NaN;
    }
    return headroom.higherIsBetter()
        ? headroom.score() / peer.score()
        : peer.score() / headroom.score();
  }

  /** A peer against a Headroom method over every parameter combination: the range of ratios. */
  public record Digest(String headroom, String peer, String mode, double min, double max, int count) {
    /** {@code 0.91×}, or {@code 0.85×–0.95× (3 params)}. */
    public String text() {
      if (count == 1 || min == max) {
        return Numbers.ratio(min) + (count == 1 ? "" : " (" + count + " params)");
      }
      return Numbers.ratio(min) + "–" + Numbers.ratio(max) + " (" + count + " params)";
    }
  }

  /** One row per (Headroom method, peer, mode) pair of {@code question}, in order of appearance. */
  public static List<Digest> digest(QuestionOutcome question) {
    Map<String, Digest> rows = new LinkedHashMap<>();
    for (List<Ratio> ratios : ratios(question).values()) {
      for (Ratio r : ratios) {
        String key = r.headroom().method() + "|" + r.peer().method() + "|" + r.peer().mode();
        Digest d = rows.get(key);
        rows.put(key, d == null
            ? new Digest(r.headroom().method(), r.peer().method(), r.peer().mode(), r.value(), r.value(), 1)
            : new Digest(d.headroom(), d.peer(), d.mode(), Math.min(d.min(), r.value()),
                Math.max(d.max(), r.value()), d.count() + 1));
      }
    }
    return new ArrayList<>(rows.values());
  }

  /** {@code 1.23× vs headroomHit}, joined by {@code ; } when a peer has several partners. */
  public static String describe(List<Ratio> ratios, boolean withPartner) {
    StringBuilder sb = new StringBuilder();
    for (Ratio r : ratios) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(Numbers.ratio(r.value()));
      if (withPartner) {
        sb.append(" vs ").append(r.headroom().method());
      }
    }
    return sb.toString();
  }
}
