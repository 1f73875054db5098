/**
 * Copy-in snippets: single-file classes that depend on the JDK alone, so they can be pasted into
 * a codebase that cannot take a dependency. Each file compiles on its own with no classpath (a
 * test checks it). They are public API of this module too: their outputs are stable.
 */
@NullMarked
package io.headroom.sharding.snippet;

import org.jspecify.annotations.NullMarked;
