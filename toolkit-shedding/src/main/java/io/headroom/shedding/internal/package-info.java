/**
 * Implementation of {@code io.headroom.shedding}: not part of the API, may change in any release.
 */
@NullMarked
package io.headroom.shedding.internal;

import org.jspecify.annotations.NullMarked;
