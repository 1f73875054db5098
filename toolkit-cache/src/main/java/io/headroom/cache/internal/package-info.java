/**
 * Implementation of the two-tier cache. Not API: anything here may change in any release.
 */
@NullMarked
package io.headroom.cache.internal;

import org.jspecify.annotations.NullMarked;
