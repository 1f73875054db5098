package io.headroom.async;

/**
 * A priority lane. Each worker drains its lanes by weight (see
 * {@link Dispatcher.Builder#laneWeight(Lane, int)}): while both lanes hold jobs, a worker runs up
 * to {@code weight(URGENT)} urgent jobs, then up to {@code weight(BACKGROUND)} background jobs,
 * and so on; a lane with no jobs gives its turn away. So urgent work overtakes queued background
 * work, and background work still gets a fixed share and is never starved.
 */
public enum Lane {
  /** Work that should overtake queued background work. Default weight 8. */
  URGENT,
  /** The default lane of {@link Dispatcher#submit(Runnable)} and {@link Dispatcher#execute}. Default weight 1. */
  BACKGROUND
}
