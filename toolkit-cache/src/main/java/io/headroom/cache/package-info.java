/**
 * Headroom's two-tier cache: Caffeine in process (L1) over Redis through Lettuce (L2).
 *
 * <p>Start at {@link io.headroom.cache.TieredCache#builder(String)}. The public API lives in
 * this package; {@code io.headroom.cache.internal} holds the implementation and is not part of
 * the API. Arguments are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.headroom.cache;

import org.jspecify.annotations.NullMarked;
