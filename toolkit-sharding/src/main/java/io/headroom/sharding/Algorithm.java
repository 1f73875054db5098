package io.headroom.sharding;

/**
 * The routing algorithms a {@link ShardRouter} can use. See the module README for the comparison
 * table; in short:
 *
 * <table>
 *   <caption>What each algorithm supports</caption>
 *   <tr><th>algorithm</th><th>weights</th><th>any node may leave</th><th>lookup</th><th>memory</th></tr>
 *   <tr><td>RING</td><td>yes</td><td>yes</td><td>O(log(n·v))</td><td>8 B × v per node</td></tr>
 *   <tr><td>KETAMA</td><td>yes</td><td>yes</td><td>O(log(160·n))</td><td>8 B × 160 per node</td></tr>
 *   <tr><td>JUMP</td><td>no</td><td>last only (others: last takes its place)</td><td>O(log n)</td><td>none</td></tr>
 *   <tr><td>MAGLEV</td><td>yes</td><td>yes (small extra movement; most keys move once when the nodes outgrow the default table five-fold)</td><td>O(1)</td><td>4 B × table/n (≥ 400 B) per node</td></tr>
 *   <tr><td>RENDEZVOUS</td><td>yes</td><td>yes</td><td>O(n)</td><td>16 B per node</td></tr>
 *   <tr><td>ANCHOR</td><td>no</td><td>yes</td><td>O(1) expected</td><td>≈ 20 B × capacity per node</td></tr>
 *   <tr><td>BOUNDED_LOAD</td><td>yes</td><td>yes</td><td>O(log(n·v)), more when loaded</td><td>as RING</td></tr>
 * </table>
 */
public enum Algorithm {
  /**
   * A hash ring with virtual nodes ({@link ShardRouterBuilder#virtualNodes(int)}, default 160;
   * a node of weight w gets round(v × w) points). Karger et al. 1997.
   */
  RING,
  /**
   * libmemcached's ketama (Last.fm's libketama, twemproxy's {@code ketama} distribution): MD5 of
   * {@code "<name>-<i>"}, four 32-bit points per digest, 160 points per server scaled by weight;
   * keys hashed by MD5 too. Maps servers exactly as libmemcached does with
   * {@code MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED} (checked against vectors from libmemcached 1.1.4),
   * given node names equal to the server strings libmemcached hashes ({@code "host"} for port
   * 11211, else {@code "host:port"}). libmemcached's unweighted {@code CONSISTENT_KETAMA}
   * continuum (100 points per server, one per digest) is a different placement.
   */
  KETAMA,
  /**
   * Jump consistent hash (Lamping and Veach 2014) over numbered buckets: node i of
   * {@link ShardRouter#nodes()} is bucket i. No memory, no weights. Removing the last node is
   * optimal; removing another node moves the last node into its bucket (about 2/n of keys move).
   */
  JUMP,
  /**
   * Maglev hashing (Eisenbud et al., NSDI 2016): a lookup table of prime size (default the
   * smallest prime ≥ 100 × nodes, kept across {@code with...} calls while every node has ≥ 20
   * slots, then re-chosen; a set size is always kept) filled from per-node permutations; weights
   * by weighted turns. O(1) lookup, excellent balance, slightly more than minimal movement.
   */
  MAGLEV,
  /**
   * Weighted rendezvous hashing (highest random weight, Thaler and Ravishankar 1998) with the
   * logarithmic method for weights (score {@code -w / ln(u)}, Schindelhauer and Schomaker 2005).
   * O(n) lookup; minimal movement; replicas are the next highest scores.
   */
  RENDEZVOUS,
  /**
   * AnchorHash (Mendelson, Vargaftik, Barabash, Lorenz, Keslassy, Orda; IEEE/ACM ToN 2020): any
   * node may leave with minimal disruption and O(1) expected lookup, inside a fixed capacity
   * ({@link ShardRouterBuilder#anchorCapacity(int)}, default 2 × initial nodes). No weights.
   */
  ANCHOR,
  /**
   * Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam, SODA 2018 / arXiv
   * 2016) on a ring with virtual nodes: {@link BoundedLoadRouter#route(long,
   * java.util.function.ToLongFunction, long)} skips nodes whose load is at capacity (capacity
   * factor c, default 1.25); without loads it routes as {@link #RING}.
   */
  BOUNDED_LOAD
}
