package io.headroom.async.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields a worker writes on every job (its lane cursor and its completion count), padded on
 * both sides so that they never share a cache line with what producers read on every submit (the
 * worker's queues and sleeping flag). JCTools' habit: padding by class hierarchy, since the JVM
 * lays out a superclass's fields before a subclass's.
 *
 * <p>Single writer (the owning worker); {@link #completed()} may be read by any thread. Not API.
 */
public final class WorkerState extends WorkerStateFields {
  @SuppressWarnings("unused") // padding against false sharing
  private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

  /** Jobs this worker completed. Any thread; a recent value. */
  public long completed() {
    return (long) COMPLETED.getOpaque(this);
  }

  /** Counts one completed job. Owning worker only. */
  public void countCompleted() {
    // Single writer: plain read of our own field, opaque write so readers see a recent value
    // without tearing. No happens-before edge is needed: stats are a snapshot.
    COMPLETED.setOpaque(this, completedPlain + 1);
  }
}

/** Left padding. */
class WorkerStatePadding {
  @SuppressWarnings("unused") // padding against false sharing
  private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The worker-written fields. */
class WorkerStateFields extends WorkerStatePadding {
  static final VarHandle COMPLETED;

  static {
    try {
      COMPLETED = MethodHandles.lookup().findVarHandle(WorkerStateFields.class, "completedPlain", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The lane the worker is draining (weighted round robin). */
  public int lane;
  /** Jobs taken from {@link #lane} in this turn. */
  public int takenInLane;
  /** Written through {@link #COMPLETED} (opaque) by the owning worker. */
  long completedPlain;
}
