package io.headroom.shedding.guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The timer task of one sync attempt: at the deadline it interrupts the caller's thread, unless
 * the attempt finished first. One compare-and-set on {@link #state} decides which came first.
 *
 * <p>The interrupt must never leak into the caller's code after the guard returns: when the
 * deadline wins, {@link #finish(boolean)} waits (spinning, for the few instructions the timer thread
 * needs) until the interrupt has been delivered, then clears it. When the attempt wins, the
 * timer task sees {@code DONE} and does nothing.
 */
final class SyncDeadline implements Runnable {
  private static final int RUNNING = 0;
  private static final int INTERRUPTING = 1;
  private static final int EXPIRED = 2;
  private static final int DONE = 3;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(SyncDeadline.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Thread caller;
  private final boolean interrupt;
  private volatile int state;

  SyncDeadline(Thread caller, boolean interrupt) {
    this.caller = caller;
    this.interrupt = interrupt;
  }

  @Override
  public void run() {
    if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
      if (interrupt) {
        caller.interrupt();
      }
      // Volatile write after the interrupt: finish() reading EXPIRED sees it delivered.
      state = EXPIRED;
    }
  }

  /**
   * Called by the caller when the work returned. Returns {@code true} if the deadline came
   * first; the caller's interrupt flag is then as it was before the call ({@code wasInterrupted}).
   */
  boolean finish(boolean wasInterrupted) {
    if (STATE.compareAndSet(this, RUNNING, DONE)) {
      return false;
    }
    while (state == INTERRUPTING) {
      Thread.onSpinWait();
    }
    if (interrupt) {
      Thread.interrupted(); // ours: clear it, whether or not the work already consumed it
      if (wasInterrupted) {
        caller.interrupt();
      }
    }
    return true;
  }
}
