package io.headroom.shedding.guard.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.locks.LockSupport;

/**
 * The timer behind sync timeouts: one slot per calling thread, armed and disarmed by the caller
 * with plain and volatile writes (no allocation, no lock, no queue), and one daemon thread that
 * sweeps the slots every tick and interrupts the threads whose deadline has passed.
 *
 * <p>Why not a task per call on a scheduled executor: scheduling and cancelling a task takes the
 * executor's queue lock and allocates a task object on every call, which cost several hundred
 * nanoseconds per guarded call in {@code GuardOverheadBenchmark}. A slot costs a thread-local
 * read, a few plain and volatile writes and one compare-and-set, reads no clock, and an armed
 * slot that is disarmed leaves nothing behind.
 *
 * <p>Accuracy: arming reads no clock (the sweep number instead); the sweep after the arming sets
 * the deadline from its own clock reading, so a sync timeout fires never early and up to about
 * two ticks (2 ms for the shared sweeper) plus scheduling delay late. The sweeping thread runs
 * only while some slot is armed or changed since the previous sweep, and exits after about a
 * second without either.
 *
 * <p>Interrupt safety: a slot's state packs a generation with a phase (idle, running,
 * interrupting, expired). The sweeper moves {@code running → interrupting} by compare-and-set on
 * the exact generation it saw, so it can never interrupt a later call of the same thread; the
 * caller moves {@code running → idle} by compare-and-set, and if it loses, waits for
 * {@code expired} (the interrupt has been delivered) and clears the interrupt.
 *
 * <p>Cost in memory: one slot per thread that ever made a sync call with a timeout; slots of
 * threads that died are dropped at the next sweep.
 *
 * <p>Not API. Thread-safe.
 */
public final class DeadlineSweeper {
  private static final DeadlineSweeper SHARED =
      new DeadlineSweeper("headroom-guard-deadlines", TimeUnit.MILLISECONDS.toNanos(1));
  private static final AtomicInteger THREADS = new AtomicInteger();

  private static final long IDLE = 0;
  private static final long RUNNING = 1;
  private static final long INTERRUPTING = 2;
  private static final long EXPIRED = 3;
  private static final long PHASE = 3;
  private static final long GENERATION = 4;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Slot.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One thread's deadline. Used only by its thread and the sweeper. */
  public static final class Slot {
    private final WeakReference<Thread> thread;
    // Written by the owner before the volatile write of state that arms the slot; the sweeper
    // reads them after reading that state, so it sees the values of the generation it acts on
    // (or of a later one, whose state differs, so its compare-and-set fails).
    private long baseTick;
    private long timeoutNanos;
    private boolean interrupt;
    /** Sweeper-owned: the armed state whose deadline {@link #sweepDeadline} holds. */
    private long sweptState;
    /** Sweeper-owned: the deadline of {@link #sweptState}, in the sweeper's clock. */
    private long sweepDeadline;
    private volatile long state;
    /** The state at the previous sweep; touched only by the sweeper, to notice activity. */
    private long seenBySweeper;
    /** The slot for a guarded call nested inside this one; touched only by the owner. */
    private @Nullable Slot nested;

    Slot(Thread thread) {
      this.thread = new WeakReference<>(thread);
    }
  }

  private final String name;
  private final long tickNanos;
  private final long idleNanos;
  private final ThreadLocal<Slot> slots;
  private final ConcurrentLinkedQueue<Slot> registry = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  /** Sweep number, published (volatile) at the start of every sweep. */
  private volatile long tick;
  /** System.nanoTime() read just after {@link #tick} was published: a coarse clock. */
  private volatile long sweepStartNanos = System.nanoTime();

  /** A sweeper with its own thread; tests use their own, everything else {@link #shared()}. */
  public DeadlineSweeper(String name, long tickNanos) {
    this(name, tickNanos, TimeUnit.SECONDS.toNanos(1));
  }

  /** A sweeper whose thread exits after {@code idleNanos} without activity. */
  public DeadlineSweeper(String name, long tickNanos, long idleNanos) {
    this.name = name;
    this.tickNanos = tickNanos;
    this.idleNanos = idleNanos;
    this.slots =
        ThreadLocal.withInitial(
            () -> newSlot());
  }

  /** The process-wide sweeper (1 ms tick). */
  public static DeadlineSweeper shared() {
    return SHARED;
  }

  private Slot newSlot() {
    Slot slot = new Slot(Thread.currentThread());
    registry.add(slot);
    return slot;
  }

  /**
   * Arms a slot of the calling thread: it expires {@code timeoutNanos} after now, never sooner.
   * Reads no clock: the slot records the sweeper's current sweep number, and the first sweep
   * after that one sets the deadline from its own clock reading, which is later than the arming
   * (so a deadline fires between 0 and about two ticks late). A call nested in another guarded
   * call gets the next slot of the thread's chain, so the outer deadline keeps running.
   */
  public Slot arm(long timeoutNanos, boolean interrupt) {
    Slot slot = slots.get();
    while ((slot.state & PHASE) != IDLE) {
      Slot next = slot.nested;
      if (next == null) {
        next = newSlot();
        slot.nested = next;
      }
      slot = next;
    }
    long generation = (slot.state & ~PHASE) + GENERATION;
    slot.baseTick = tick;
    slot.timeoutNanos = timeoutNanos;
    slot.interrupt = interrupt;
    slot.state = generation | RUNNING; // volatile: publishes the fields above to the sweeper
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      startSweeper();
    }
    return slot;
  }

  /**
   * A coarse {@link System#nanoTime()}: the start of the latest sweep while a sweeper runs
   * (at most a tick old when it runs on time), else a fresh reading. Never ahead of the clock.
   */
  public long coarseNanos() {
    return sweeping.get() ? sweepStartNanos : System.nanoTime();
  }

  /**
   * Disarms the slot after the work returned. Returns {@code true} if the deadline won; the
   * thread's interrupt flag is then restored to {@code wasInterrupted}.
   */
  public boolean disarm(Slot slot, boolean wasInterrupted) {
    long armed = slot.state;
    long generation = armed & ~PHASE;
    if ((armed & PHASE) == RUNNING && STATE.compareAndSet(slot, armed, generation | IDLE)) {
      return false;
    }
    while ((slot.state & PHASE) == INTERRUPTING) {
      Thread.onSpinWait(); // the sweeper is between its compare-and-set and the interrupt
    }
    if (slot.interrupt) {
      Thread.interrupted(); // ours: clear it whether or not the work consumed it
      if (wasInterrupted) {
        Thread.currentThread().interrupt();
      }
    }
    slot.state = generation | IDLE;
    return true;
  }

  /** Whether a sweeping thread is running (it stops when idle); for tests. */
  public boolean sweeping() {
    return sweeping.get();
  }

  /** Slots registered (one per live thread that used a sync timeout); for tests. */
  public int slots() {
    return registry.size();
  }

  private void startSweeper() {
    sweepStartNanos = System.nanoTime(); // the coarse clock is fresh until the first sweep publishes
    Thread thread = new Thread(this::sweep, name + "-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  private void sweep() {
    long idleSince = System.nanoTime();
    while (true) {
      long t = tick + 1;
      tick = t; // publish first: a slot that read a smaller tick was armed before the reading below
      long now = System.nanoTime();
      sweepStartNanos = now;
      boolean armed = false;
      for (Iterator<Slot> it = registry.iterator(); it.hasNext(); ) {
        Slot slot = it.next();
        Thread owner = slot.thread.get();
        if (owner == null) {
          it.remove();
          continue;
        }
        long s = slot.state;
        if (s != slot.seenBySweeper) {
          slot.seenBySweeper = s; // armed or disarmed since the last sweep: the thread is busy
          armed = true;
        }
        if ((s & PHASE) != RUNNING) {
          continue;
        }
        armed = true;
        if (slot.sweptState != s) {
          if (slot.baseTick >= t) {
            continue; // armed during this sweep: its arming time is bounded only at the next one
          }
          // Armed before this sweep's reading of the clock: now + timeout is never early.
          slot.sweptState = s;
          slot.sweepDeadline = now + slot.timeoutNanos;
        }
        if (now - slot.sweepDeadline >= 0 && STATE.compareAndSet(slot, s, (s & ~PHASE) | INTERRUPTING)) {
          if (slot.interrupt) {
            owner.interrupt();
          }
          slot.state = (s & ~PHASE) | EXPIRED; // volatile: the owner sees the interrupt delivered
        }
      }
      if (armed) {
        idleSince = now;
      } else if (now - idleSince > idleNanos) {
        sweeping.set(false);
        // An arm() that read sweeping == true just before it was cleared must not be missed:
        // volatile accesses are sequentially consistent, so either it sees false and starts a
        // sweeper, or this re-check sees its slot running and this sweeper carries on.
        if (!anyArmed() || !sweeping.compareAndSet(false, true)) {
          return;
        }
        idleSince = now;
      }
      LockSupport.parkNanos(tickNanos);
    }
  }

  private boolean anyArmed() {
    for (Slot slot : registry) {
      if ((slot.state & PHASE) == RUNNING) {
        return true;
      }
    }
    return false;
  }

}
