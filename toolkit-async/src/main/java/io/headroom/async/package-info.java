/**
 * Headroom's background job dispatcher: producers hand jobs to a fixed set of workers
 * through JCTools queues without taking a lock; every accepted job is run, dead-lettered or
 * returned by shutdown.
 *
 * <p>The public API lives in this package; {@code io.headroom.async.internal} holds the
 * implementation and is not part of the API. Arguments are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package io.headroom.async;

import org.jspecify.annotations.NullMarked;
