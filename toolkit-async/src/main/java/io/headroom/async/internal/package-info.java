/**
 * The dispatcher's implementation: queued tasks, the latency recorder, the retry back-off. Not
 * part of the API; may change in any release.
 */
@NullMarked
package io.headroom.async.internal;

import org.jspecify.annotations.NullMarked;
