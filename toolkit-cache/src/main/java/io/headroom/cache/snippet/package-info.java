/**
 * Copy-in snippets: single-file classes that depend on the JDK alone, to paste into a codebase
 * that cannot take a dependency. Each is also usable from here.
 */
@NullMarked
package io.headroom.cache.snippet;

import org.jspecify.annotations.NullMarked;
