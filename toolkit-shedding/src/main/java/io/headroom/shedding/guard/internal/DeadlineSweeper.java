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
 * read and two compare-and-sets, and an armed slot that is disarmed leaves nothing behind.
 *
 * <p>Accuracy: a deadline is seen at the first sweep after it passes, so a sync timeout fires up
 * to one tick (1 ms for the shared sweeper) plus scheduling delay late. The sweeping thread runs
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
    // reads it after reading that state, so it sees the deadline of the generation it acts on.
    private long deadlineNanos;
    private boolean interrupt;
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
   * Arms a slot of the calling thread: at {@code timeoutNanos} from now it will expire. A call
   * nested in another guarded call gets the next slot of the thread's chain, so the outer
   * deadline keeps running.
   */
  public Slot arm(long timeoutNanos, boolean interrupt) {
    return arm(System.nanoTime(), timeoutNanos, interrupt);
  }

  /** {@link #arm(long, boolean)} from {@code nowNanos}, a {@link System#nanoTime()} the caller just read. */
  public Slot arm(long nowNanos, long timeoutNanos, boolean interrupt) {
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
    slot.deadlineNanos = nowNanos + timeoutNanos;
    slot.interrupt = interrupt;
    slot.state = generation | RUNNING; // volatile: publishes the deadline to the sweeper
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      startSweeper();
    }
    return slot;
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
    Thread thread = new Thread(this::sweep, name + "-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  private void sweep() {
    long idleSince = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
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
        if (now - slot.deadlineNanos >= 0 && STATE.compareAndSet(slot, s, (s & ~PHASE) | INTERRUPTING)) {
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
