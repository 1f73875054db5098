/**
 * Copy-in snippets: single-file classes that depend on the JDK alone, for codebases that cannot
 * take a dependency. Copy the file, change its package, keep the attribution. Each is compiled
 * alone, with no classpath, by a test.
 */
@NullMarked
package io.headroom.shedding.snippets;

import org.jspecify.annotations.NullMarked;
