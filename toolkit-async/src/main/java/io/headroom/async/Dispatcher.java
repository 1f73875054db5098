package io.headroom.async;

import io.headroom.async.internal.Backoff;
import io.headroom.async.internal.FutureJob;
import io.headroom.async.internal.LatencyRecorder;
import io.headroom.async.internal.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MessagePassingQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background job dispatcher: producers hand jobs to a fixed set of worker threads through
 * JCTools bounded array queues, without a lock and without blocking.
 *
 * <pre>{@code
 * Dispatcher mail = Dispatcher.newBuilder().name("mail").workers(2).capacity(10_000)
 *     .maxAttempts(3).onDeadLetter((job, e) -> log.error("mail lost: {}", job, e)).build();
 * SubmitResult r = mail.submit(() -> smtp.send(message));       // never blocks
 * mail.submit(Lane.URGENT, () -> smtp.send(passwordReset));     // overtakes background jobs
 * CompletableFuture<Receipt> f = mail.submitForResult(() -> smtp.send(invoice));
 * List<Runnable> notRun = mail.shutdown(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p><b>Topology.</b> Each worker owns one queue per {@link Lane}. A producer thread always
 * queues on the same worker (its <em>home</em>, chosen by a hash of the thread id), so the jobs
 * one thread submits to one lane run in submission order; the price is that a single producer
 * thread keeps a single worker busy. The queues are {@link MpmcArrayQueue}s: the owning worker
 * consumes, and so may a shutdown drain or a drop-oldest producer, concurrently and safely.
 *
 * <p><b>What happens to a job.</b> {@code submit} either refuses it ({@code REJECTED_FULL},
 * {@code REJECTED_SHUTDOWN}: the job stays the caller's), runs it in the caller
 * ({@code CALLER_RAN}) or accepts it. An accepted job ends in exactly one of: run to completion
 * (possibly after retries); handed to the dead-letter hook (last attempt failed, or a timer-held
 * job found its lane full or the dispatcher already collected); handed to the dropped-job hook
 * ({@link OverflowPolicy#DROP_OLDEST_BACKGROUND}); returned by {@link #shutdown} /
 * {@link #shutdownNow}. A job that throws never kills its worker.
 *
 * <p><b>Cost.</b> A submit allocates one small task object, reads the clock once, increments a
 * {@link LongAdder}, offers to a JCTools queue (one CAS on the producer index) and reads the home
 * worker's sleeping flag (unparking it only if it sleeps). A worker run reads the clock twice
 * and records queue wait and run time in its own histogram. Retries and {@link #schedule} use
 * one timer thread (a {@link ScheduledThreadPoolExecutor}, which does lock), never a worker.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
// Lanes index small arrays by ordinal on the hot path; an EnumMap lookup would cost more per job.
@SuppressWarnings("EnumOrdinal")
public final class Dispatcher implements Executor {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private static final int RUNNING = 0;
  /** Not accepting; workers drain their queues and exit when empty. */
  private static final int SHUTDOWN = 1;
  /** Workers exit after their current job. */
  private static final int STOP = 2;
  /** Queued jobs have been handed back; anything that turns up later is dead-lettered. */
  private static final int COLLECTED = 3;

  private static final Lane[] LANES = Lane.values();

  private final String name;
  private final Worker[] workers;
  private final int[] laneCapacityPerWorker;
  private final int[] weights;
  private final OverflowPolicy overflow;
  private final IdleStrategy idle;
  private final int maxAttempts;
  private final Backoff backoff;
  private final DeadLetterHandler deadLetterHandler;
  private final Consumer<Runnable> droppedHandler;
  private final LongSupplier ticker;
  private final ScheduledThreadPoolExecutor timer;
  private final CountDownLatch terminated;

  /** Timer-held tasks (retries, scheduled jobs); whoever removes a task owns it. */
  private final Set<Task> onTimer = ConcurrentHashMap.newKeySet();
  /** Tasks that turned up during shutdown; collected into the list shutdown returns. */
  private final ConcurrentLinkedQueue<Task> returned = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean collecting = new AtomicBoolean();

  // Read on every submit; written by shutdown. Volatile: a producer's read after its offer and
  // shutdown's write before its drain order each other (see afterOffer).
  private volatile int state = RUNNING;

  private final LongAdder submitted = new LongAdder();
  private final LongAdder rejectedFull = new LongAdder();
  private final LongAdder rejectedShutdown = new LongAdder();
  private final LongAdder callerRan = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder hookErrors = new LongAdder();
  private final AtomicBoolean hookErrorLogged = new AtomicBoolean();
  private final AtomicBoolean deadLetterLogged = new AtomicBoolean();

  private Dispatcher(Builder b) {
    this.name = b.name;
    this.overflow = b.overflow;
    this.idle = b.idle;
    this.maxAttempts = b.maxAttempts;
    this.backoff = new Backoff(b.retryInitial.toNanos(), b.retryMax.toNanos(), b.retryJitter);
    this.ticker = b.ticker;
    this.weights = new int[LANES.length];
    for (Lane lane : LANES) {
      weights[lane.ordinal()] = Objects.requireNonNull(b.weights.get(lane), "weight");
    }
    DeadLetterHandler dl = b.deadLetterHandler;
    this.deadLetterHandler = dl != null ? dl : this::logDeadLetter;
    Consumer<Runnable> dh = b.droppedHandler;
    this.droppedHandler = dh != null ? dh : job -> log.debug("dispatcher {}: dropped {}", name, job);
    ThreadFactory factory = b.threadFactory != null ? b.threadFactory : new NamedThreadFactory(name);

    int perWorker = Math.max(2, ceilPowerOfTwo((b.capacity + b.workers - 1) / b.workers));
    this.laneCapacityPerWorker = new int[LANES.length];
    this.workers = new Worker[b.workers];
    for (int i = 0; i < workers.length; i++) {
      @SuppressWarnings({"unchecked", "rawtypes"}) // generic array of queues
      MessagePassingQueue<Task>[] queues = new MessagePassingQueue[LANES.length];
      for (Lane lane : LANES) {
        MpmcArrayQueue<Task> q = new MpmcArrayQueue<>(perWorker);
        queues[lane.ordinal()] = q;
        laneCapacityPerWorker[lane.ordinal()] = q.capacity();
      }
      workers[i] = new Worker(i, queues);
    }
    this.terminated = new CountDownLatch(workers.length);
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = factory.newThread(r);
      if (factory instanceof NamedThreadFactory) {
        t.setName("headroom-async-" + name + "-timer");
      }
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    for (Worker w : workers) {
      Thread t = factory.newThread(w);
      w.thread = t;
    }
    for (Worker w : workers) {
      Objects.requireNonNull(w.thread, "threadFactory returned null").start();
    }
  }

  /** A new builder with the defaults listed on each setting. */
  public static Builder newBuilder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------
  // Submitting

  /**
   * Queues {@code job} on the {@link Lane#BACKGROUND} lane. Never blocks, never takes a lock.
   *
   * @return what became of the job
   * @throws NullPointerException if {@code job} is null
   */
  public SubmitResult submit(Runnable job) {
    return submit(Lane.BACKGROUND, job);
  }

  /**
   * Queues {@code job} on {@code lane}. Never blocks, never takes a lock. When the lane is full,
   * applies the {@link OverflowPolicy} chosen at build.
   *
   * @throws NullPointerException if {@code lane} or {@code job} is null
   */
  public SubmitResult submit(Lane lane, Runnable job) {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(job, "job");
    submitted.increment();
    return offerOrOverflow(newTask(lane, job));
  }

  /**
   * Like {@link #submit(Lane, Runnable)}, but when the lane is full waits up to {@code maxWait} for
   * room (spinning, then parking up to 1 ms at a time) before applying the overflow policy: for
   * callers that want back-pressure. {@link Duration#ZERO} does not wait.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code maxWait} is negative
   */
  public SubmitResult submit(Lane lane, Runnable job, Duration maxWait) {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait: " + maxWait + " (expected: >= 0)");
    }
    submitted.increment();
    Task task = newTask(lane, job);
    long waitNanos = saturatedNanos(maxWait);
    long start = System.nanoTime();
    for (int round = 0; ; round++) {
      if (state != RUNNING) {
        rejectedShutdown.increment();
        return SubmitResult.REJECTED_SHUTDOWN;
      }
      if (workers[task.home].queues[task.lane].offer(task)) {
        return afterOffer(task);
      }
      long left = waitNanos - (System.nanoTime() - start);
      if (left <= 0) {
        return offerOrOverflow(task);
      }
      if (round < 64) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(Math.min(left, Math.min(1_000_000L, 1_000L << Math.min(round - 64, 10))));
      }
    }
  }

  /** {@link #submit(Lane, Runnable, Duration)} on the {@link Lane#BACKGROUND} lane. */
  public SubmitResult submit(Runnable job, Duration maxWait) {
    return submit(Lane.BACKGROUND, job, maxWait);
  }

  /**
   * Queues {@code callable} on the {@link Lane#BACKGROUND} lane and returns its future. The future
   * completes with the result, or fails with the last attempt's exception when the job is
   * dead-lettered, or with a {@link RejectedExecutionException} when it is rejected or dropped. A
   * job returned by shutdown leaves its future pending until someone runs the returned runnable.
   *
   * @throws NullPointerException if {@code callable} is null
   */
  public <T> CompletableFuture<T> submitForResult(Callable<T> callable) {
    return submitForResult(Lane.BACKGROUND, callable);
  }

  /** {@link #submitForResult(Callable)} on {@code lane}. */
  public <T> CompletableFuture<T> submitForResult(Lane lane, Callable<T> callable) {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(callable, "callable");
    CompletableFuture<T> future = new CompletableFuture<>();
    SubmitResult r = submit(lane, new FutureJob<>(callable, future));
    if (!r.isAccepted()) {
      future.completeExceptionally(rejection(r));
    }
    return future;
  }

  /**
   * {@link Executor} form of {@link #submit(Runnable)}, for {@code CompletableFuture.runAsync} and
   * friends.
   *
   * @throws RejectedExecutionException when the job is rejected (full or shut down)
   * @throws NullPointerException if {@code command} is null
   */
  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    SubmitResult r = submit(Lane.BACKGROUND, command);
    if (!r.isAccepted()) {
      throw rejection(r);
    }
  }

  /** {@link #schedule(Lane, Runnable, Duration)} on the {@link Lane#BACKGROUND} lane. */
  public SubmitResult schedule(Runnable job, Duration delay) {
    return schedule(Lane.BACKGROUND, job, delay);
  }

  /**
   * Queues {@code job} on {@code lane} no earlier than {@code delay} from now, through the
   * dispatcher's single timer thread. Returns {@link SubmitResult#ACCEPTED} unless shut down. When
   * the delay is over the job goes to its lane; if the lane is full then, the job goes to the
   * dead-letter hook with a {@link RejectedExecutionException} (the timer never runs jobs). A job
   * still waiting at shutdown is returned by shutdown.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public SubmitResult schedule(Lane lane, Runnable job, Duration delay) {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
    submitted.increment();
    if (state != RUNNING) {
      rejectedShutdown.increment();
      return SubmitResult.REJECTED_SHUTDOWN;
    }
    Task task = new Task(job, lane.ordinal(), home(), 1);
    if (!putOnTimer(task, saturatedNanos(delay))) {
      rejectedShutdown.increment();
      return SubmitResult.REJECTED_SHUTDOWN;
    }
    return SubmitResult.ACCEPTED;
  }

  private Task newTask(Lane lane, Runnable job) {
    Task task = new Task(job, lane.ordinal(), home(), 1);
    task.enqueuedAt = ticker.getAsLong();
    return task;
  }

  /** The calling thread's home worker: a fixed hash of the thread id. */
  private int home() {
    if (workers.length == 1) {
      return 0;
    }
    long h = Thread.currentThread().getId() * 0x9E3779B97F4A7C15L;
    return (int) ((h >>> 32) % workers.length);
  }

  private SubmitResult offerOrOverflow(Task task) {
    if (state != RUNNING) {
      rejectedShutdown.increment();
      return SubmitResult.REJECTED_SHUTDOWN;
    }
    MessagePassingQueue<Task> q = workers[task.home].queues[task.lane];
    if (q.offer(task)) {
      return afterOffer(task);
    }
    switch (overflow) {
      case CALLER_RUNS -> {
        callerRan.increment();
        if (task.claim()) {
          process(task, null);
        }
        return SubmitResult.CALLER_RAN;
      }
      case DROP_OLDEST_BACKGROUND -> {
        if (task.lane == Lane.BACKGROUND.ordinal() && dropOldestAndOffer(q, task)) {
          return afterOffer(task);
        }
      }
      case REJECT -> {}
    }
    rejectedFull.increment();
    return SubmitResult.REJECTED_FULL;
  }

  /** Makes room by dropping the head of a full queue; bounded retries against racing producers. */
  private boolean dropOldestAndOffer(MessagePassingQueue<Task> q, Task task) {
    for (int i = 0; i < 16; i++) {
      Task oldest = q.poll();
      if (oldest != null && oldest.claim()) {
        dropped.increment();
        oldest.fail(new RejectedExecutionException("dropped: oldest background job of a full lane"));
        callHook(() -> droppedHandler.accept(oldest.job));
      }
      if (q.offer(task)) {
        return true;
      }
    }
    return false;
  }

  /**
   * After a successful offer: if shutdown began meanwhile, try to take the task back (if a worker
   * or the drain already claimed it, it counts as accepted); otherwise wake the home worker.
   */
  private SubmitResult afterOffer(Task task) {
    // The offer's CAS on the queue's producer index (a volatile write) precedes this volatile read
    // of state. Shutdown writes state before it drains. So either we read RUNNING and our offer
    // precedes the drain (which then sees the task), or we read a later state and withdraw.
    if (state != RUNNING && task.withdraw()) {
      rejectedShutdown.increment();
      return SubmitResult.REJECTED_SHUTDOWN;
    }
    workers[task.home].wake();
    return SubmitResult.ACCEPTED;
  }

  private static RejectedExecutionException rejection(SubmitResult r) {
    return new RejectedExecutionException(
        r == SubmitResult.REJECTED_FULL ? "dispatcher lane full" : "dispatcher shut down");
  }

  // ---------------------------------------------------------------------------------------------
  // Running, failures, retries, the timer

  /** Runs one claimed task; {@code worker} is null when running in a caller's thread. */
  private void process(Task task, @Nullable Worker worker) {
    long start = ticker.getAsLong();
    if (worker != null) {
      worker.queueWait.record(start - task.enqueuedAt);
    }
    Throwable failure = null;
    try {
      task.execute();
    } catch (Throwable t) { // a job that throws must never kill its worker
      failure = t;
    }
    if (worker != null) {
      worker.runTime.record(ticker.getAsLong() - start);
    }
    if (failure == null) {
      completed.increment();
      return;
    }
    failed.increment();
    if (failure instanceof VirtualMachineError vme && !(failure instanceof StackOverflowError)) {
      // Retrying after OutOfMemoryError & co. rarely helps; dead-letter at once, never rethrow.
      deadLetter(task, vme);
      return;
    }
    if (task.attempt < maxAttempts) {
      retried.increment();
      Task next = task.nextAttempt();
      long delay = backoff.delayNanos(task.attempt, ThreadLocalRandom.current().nextDouble());
      if (!putOnTimer(next, delay)) {
        returnOnShutdown(next);
      }
    } else {
      deadLetter(task, failure);
    }
  }

  /**
   * Puts an owned task on the timer. False if shutdown has begun (the caller keeps the task).
   */
  private boolean putOnTimer(Task task, long delayNanos) {
    onTimer.add(task);
    // add (a volatile write in the map) then read state; shutdown writes state then removes
    // everything it finds in onTimer: either it finds the task or we see it shutting down.
    if (state != RUNNING) {
      return !onTimer.remove(task); // if shutdown took it, it is accounted for: report success
    }
    try {
      var unused = timer.schedule(() -> fromTimer(task), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) { // the timer shut down between our check and here
      return !onTimer.remove(task);
    }
    return true;
  }

  /** On the timer thread: the task's delay is over. */
  private void fromTimer(Task task) {
    if (!onTimer.remove(task)) {
      return; // shutdown took it
    }
    if (state != RUNNING) {
      returnOnShutdown(task);
      return;
    }
    MessagePassingQueue<Task> q = workers[task.home].queues[task.lane];
    task.enqueuedAt = ticker.getAsLong();
    boolean queued = q.offer(task);
    if (!queued
        && overflow == OverflowPolicy.DROP_OLDEST_BACKGROUND
        && task.lane == Lane.BACKGROUND.ordinal()) {
      queued = dropOldestAndOffer(q, task);
    }
    if (!queued) {
      deadLetter(task, new RejectedExecutionException("lane full when a timer-held job came due"));
      return;
    }
    if (state != RUNNING && task.withdraw()) {
      returnOnShutdown(task);
      return;
    }
    workers[task.home].wake();
  }

  /** An owned task that shutdown must return; dead-lettered if shutdown already returned its list. */
  private void returnOnShutdown(Task task) {
    returned.add(task);
    // add then read state; the collector writes COLLECTED then drains `returned`: exactly one of
    // us removes the task.
    if (state >= COLLECTED && returned.remove(task)) {
      deadLetter(task, new RejectedExecutionException("dispatcher shut down before the job could run"));
    }
  }

  private void deadLetter(Task task, Throwable cause) {
    deadLettered.increment();
    task.fail(cause);
    callHook(() -> deadLetterHandler.deadLettered(task.job, cause));
  }

  private void callHook(Runnable hook) {
    try {
      hook.run();
    } catch (Throwable t) { // a hook's failure must not reach a worker or a producer
      hookErrors.increment();
      if (hookErrorLogged.compareAndSet(false, true)) {
        log.warn("dispatcher {}: a hook threw; counted in stats().hookErrors(), further ones logged at DEBUG", name, t);
      } else {
        log.debug("dispatcher {}: a hook threw", name, t);
      }
    }
  }

  private void logDeadLetter(Runnable job, Throwable cause) {
    if (deadLetterLogged.compareAndSet(false, true)) {
      log.warn("dispatcher {}: job {} dead-lettered and no dead-letter hook is set; "
          + "counted in stats().deadLettered(), further ones logged at DEBUG", name, job, cause);
    } else {
      log.debug("dispatcher {}: job {} dead-lettered", name, job, cause);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown

  /**
   * Stops accepting, lets the workers run what is queued until {@code timeout} has passed, then
   * returns every accepted job that did not run and will not run: still queued, waiting on the
   * timer (a delayed job or a retry), or failed during shutdown with attempts left. Jobs running
   * at the deadline finish (they are not interrupted); {@link #awaitTermination} waits for them.
   *
   * <p>Returns after at most about {@code timeout}. If several threads shut down at once, the
   * jobs are returned to one of them and the others get an empty list. A job that turns up after
   * the list was returned (a retry of a job still running at the deadline) is dead-lettered.
   *
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public List<Runnable> shutdown(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
    }
    beginShutdown(SHUTDOWN);
    try {
      terminated.await(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return collect();
  }

  /**
   * Stops accepting and returns at once every accepted job that has not started. Running jobs
   * finish; workers exit after them.
   */
  public List<Runnable> shutdownNow() {
    beginShutdown(STOP);
    return collect();
  }

  /** True once shutdown has begun. */
  public boolean isShutdown() {
    return state != RUNNING;
  }

  /** True once every worker thread and the timer thread have exited. */
  public boolean isTerminated() {
    return terminated.getCount() == 0 && timer.isTerminated();
  }

  /**
   * Waits up to {@code timeout} for every worker and the timer to exit after a shutdown. Once it
   * returns true, every accepted job has reached its end (run, dead-lettered, dropped or returned).
   *
   * @return true if all exited
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long total = saturatedNanos(timeout);
    long start = System.nanoTime();
    if (!terminated.await(total, TimeUnit.NANOSECONDS)) {
      return false;
    }
    return timer.awaitTermination(Math.max(0, total - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
  }

  private void beginShutdown(int target) {
    while (true) {
      int s = state;
      if (s >= target) {
        break;
      }
      if (STATE.compareAndSet(this, s, target)) {
        break;
      }
    }
    // After the state write: take every timer-held task (see putOnTimer for the other side).
    for (Iterator<Task> it = onTimer.iterator(); it.hasNext(); ) {
      Task t = it.next();
      if (onTimer.remove(t)) { // whoever removes the task owns it (the timer callback may race us)
        returned.add(t);
      }
    }
    timer.shutdownNow();
    for (Worker w : workers) {
      LockSupport.unpark(w.thread);
    }
  }

  private List<Runnable> collect() {
    if (!collecting.compareAndSet(false, true)) {
      return new ArrayList<>();
    }
    beginShutdown(STOP);
    List<Runnable> jobs = new ArrayList<>();
    for (Worker w : workers) {
      for (MessagePassingQueue<Task> q : w.queues) {
        Task t;
        // poll (not relaxedPoll): returns null only when no producer has claimed a slot, so a
        // task whose producer read RUNNING after its offer is never missed.
        while ((t = q.poll()) != null) {
          if (t.claim()) {
            jobs.add(t.job);
          }
        }
      }
    }
    STATE.setVolatile(this, COLLECTED); // see returnOnShutdown for the other side
    Task t;
    while ((t = returned.poll()) != null) {
      jobs.add(t.job);
    }
    return jobs;
  }

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Dispatcher.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observability

  /** The dispatcher's name, as in its thread names. */
  public String name() {
    return name;
  }

  /** The number of worker threads. */
  public int workers() {
    return workers.length;
  }

  /**
   * The actual capacity of {@code lane}: the requested capacity split over the workers, each
   * share rounded up to a power of two (JCTools array queues require it, minimum 2), times the
   * number of workers. A producer thread queues only on its home worker, so it sees that worker's
   * share, {@code capacity(lane) / workers()}.
   */
  public int capacity(Lane lane) {
    return laneCapacityPerWorker[lane.ordinal()] * workers.length;
  }

  /** A snapshot of the counters, queue depths and latency percentiles. Allocates; not for hot paths. */
  public DispatcherStats stats() {
    int[] depth = new int[LANES.length];
    int[] cap = new int[LANES.length];
    long[] wait = new long[LatencyRecorder.BUCKETS];
    long[] run = new long[LatencyRecorder.BUCKETS];
    for (Worker w : workers) {
      for (int l = 0; l < LANES.length; l++) {
        depth[l] += w.queues[l].size();
      }
      w.queueWait.addTo(wait);
      w.runTime.addTo(run);
    }
    for (Lane lane : LANES) {
      cap[lane.ordinal()] = capacity(lane);
    }
    return new DispatcherStats(
        submitted.sum(),
        rejectedFull.sum(),
        rejectedShutdown.sum(),
        callerRan.sum(),
        dropped.sum(),
        completed.sum(),
        failed.sum(),
        retried.sum(),
        deadLettered.sum(),
        hookErrors.sum(),
        depth,
        cap,
        latency(wait),
        latency(run));
  }

  private static DispatcherStats.Latency latency(long[] merged) {
    long max = 0;
    for (int i = merged.length - 1; i >= 0; i--) {
      if (merged[i] != 0) {
        max = LatencyRecorder.upperBound(i);
        break;
      }
    }
    return new DispatcherStats.Latency(
        LatencyRecorder.count(merged),
        LatencyRecorder.valueAt(merged, 0.50),
        LatencyRecorder.valueAt(merged, 0.90),
        LatencyRecorder.valueAt(merged, 0.99),
        LatencyRecorder.valueAt(merged, 0.999),
        max);
  }

  @Override
  public String toString() {
    return "Dispatcher[" + name + ", workers=" + workers.length + ", state=" + state + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Workers

  private final class Worker implements Runnable {
    private final int index;
    final MessagePassingQueue<Task>[] queues;
    final LatencyRecorder queueWait = new LatencyRecorder();
    final LatencyRecorder runTime = new LatencyRecorder();
    @Nullable Thread thread;
    /**
     * 1 while the worker is about to park or parked. Written volatile before the worker's last
     * emptiness check and read volatile by producers after their offer: the Dekker pair that makes
     * a lost wake-up impossible (the park timeout is only a bound, not the safety net).
     */
    private final AtomicInteger sleeping = new AtomicInteger();
    // Weighted round robin over lanes; touched by this worker only.
    private int lane;
    private int takenInLane;

    Worker(int index, MessagePassingQueue<Task>[] queues) {
      this.index = index;
      this.queues = queues;
    }

    void wake() {
      // A plain volatile read first keeps the common case (worker busy) to one load.
      if (sleeping.get() != 0 && sleeping.compareAndSet(1, 0)) {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public void run() {
      try {
        loop();
      } finally {
        terminated.countDown();
      }
    }

    private void loop() {
      int idleRounds = 0;
      while (true) {
        int s = state;
        if (s >= STOP) {
          return;
        }
        Task task = next();
        if (task != null) {
          idleRounds = 0;
          if (task.claim()) {
            process(task, this);
            // A job may have interrupted its thread; do not let that leak into parking or the next job.
            Thread.interrupted();
          }
          continue;
        }
        if (s == SHUTDOWN) {
          return; // shutting down and nothing queued: done (the drain picks up any late arrival)
        }
        idle(idleRounds++);
      }
    }

    /** The next task by lane weight, or null if every lane is empty. */
    private @Nullable Task next() {
      for (int tries = 0; tries <= queues.length; tries++) {
        if (takenInLane < weights[lane]) {
          // relaxedPoll may miss a task whose producer is mid-offer; the next round or the
          // emptiness check before parking (strict) catches it.
          Task t = queues[lane].relaxedPoll();
          if (t != null) {
            takenInLane++;
            return t;
          }
        }
        lane = lane + 1 == queues.length ? 0 : lane + 1;
        takenInLane = 0;
      }
      return null;
    }

    // Thread.yield is one rung of the documented idle ladder, not a correctness device.
    @SuppressWarnings("ThreadPriorityCheck")
    private void idle(int round) {
      if (round < idle.spins()) {
        Thread.onSpinWait();
        return;
      }
      if (round - idle.spins() < idle.yields()) {
        Thread.yield();
        return;
      }
      int parks = round - idle.spins() - idle.yields();
      long min = idle.minPark().toNanos();
      long max = idle.maxPark().toNanos();
      long park = parks >= 40 || (min << parks) > max || (min << parks) <= 0 ? max : min << parks;
      sleeping.set(1);
      // Volatile write of sleeping, then isEmpty's volatile reads of the producer indexes. A
      // producer does offer (CAS producer index) then reads sleeping: one of us sees the other.
      if (allEmpty() && state == RUNNING) {
        LockSupport.parkNanos(this, park);
      }
      sleeping.set(0);
    }

    private boolean allEmpty() {
      for (MessagePassingQueue<Task> q : queues) {
        if (!q.isEmpty()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return "Worker[" + name + "-" + (index + 1) + "]";
    }
  }

  /** Names threads headroom-async-NAME-N (N from 1), daemon. */
  private static final class NamedThreadFactory implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    NamedThreadFactory(String name) {
      this.prefix = "headroom-async-" + name + "-";
    }

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, prefix + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    }
  }

  private static int ceilPowerOfTwo(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Builder

  /**
   * Settings for a {@link Dispatcher}. {@link #build()} validates and copies them, so reusing a
   * builder cannot change a dispatcher already built. Not thread-safe.
   */
  public static final class Builder {
    private String name = "default";
    private int workers = 2;
    private int capacity = 8192;
    private @Nullable ThreadFactory threadFactory;
    private IdleStrategy idle = IdleStrategy.defaults();
    private OverflowPolicy overflow = OverflowPolicy.REJECT;
    private final Map<Lane, Integer> weights = new EnumMap<>(Lane.class);
    private int maxAttempts = 1;
    private Duration retryInitial = Duration.ofMillis(100);
    private Duration retryMax = Duration.ofSeconds(30);
    private double retryJitter = 0.5;
    private @Nullable DeadLetterHandler deadLetterHandler;
    private @Nullable Consumer<Runnable> droppedHandler;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {
      weights.put(Lane.URGENT, 8);
      weights.put(Lane.BACKGROUND, 1);
    }

    /** Name used in thread names ({@code headroom-async-<name>-<n>}) and logs. Default "default". */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Number of worker threads, ≥ 1. Default 2. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /**
     * Jobs each lane can hold over all workers, ≥ 1. Default 8192. Split per worker and rounded up
     * to a power of two: see {@link Dispatcher#capacity(Lane)} for the actual figure.
     */
    public Builder capacity(int capacity) {
      this.capacity = capacity;
      return this;
    }

    /**
     * Creates the worker threads and the timer thread. Default: daemon threads named
     * {@code headroom-async-<name>-<n>} and {@code headroom-async-<name>-timer}.
     */
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /** What an idle worker does. Default {@link IdleStrategy#defaults()}. */
    public Builder idleStrategy(IdleStrategy idleStrategy) {
      this.idle = Objects.requireNonNull(idleStrategy, "idleStrategy");
      return this;
    }

    /** What submit does when a lane is full. Default {@link OverflowPolicy#REJECT}. */
    public Builder overflow(OverflowPolicy overflow) {
      this.overflow = Objects.requireNonNull(overflow, "overflow");
      return this;
    }

    /**
     * How many jobs a worker takes from {@code lane} in its turn when other lanes have jobs too,
     * ≥ 1. Defaults: URGENT 8, BACKGROUND 1.
     */
    public Builder laneWeight(Lane lane, int weight) {
      weights.put(Objects.requireNonNull(lane, "lane"), weight);
      return this;
    }

    /** Attempts per job including the first, ≥ 1. Default 1 (no retries). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Retry back-off: after the n-th failed attempt wait {@code min(max, initial * 2^(n-1))},
     * shortened by jitter. Defaults 100 ms and 30 s.
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.retryInitial = Objects.requireNonNull(initial, "initial");
      this.retryMax = Objects.requireNonNull(max, "max");
      return this;
    }

    /**
     * Fraction in [0, 1] by which a retry wait is randomly shortened (0.5: uniform in [d/2, d]).
     * Default 0.5.
     */
    public Builder retryJitter(double jitter) {
      this.retryJitter = jitter;
      return this;
    }

    /** Receives jobs that will not run again. Default: log the first at WARN, the rest at DEBUG. */
    public Builder onDeadLetter(DeadLetterHandler handler) {
      this.deadLetterHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Receives jobs dropped by {@link OverflowPolicy#DROP_OLDEST_BACKGROUND}. Default: log at DEBUG. */
    public Builder onDropped(Consumer<Runnable> handler) {
      this.droppedHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Nanosecond ticker for queue-wait and run-time measurement. Default {@link System#nanoTime()}. */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Validates the settings and starts the dispatcher's threads.
     *
     * @throws IllegalArgumentException naming the setting and value: workers &lt; 1, capacity &lt;
     *     1, a lane weight &lt; 1, maxAttempts &lt; 1, a negative or zero retry back-off, max &lt;
     *     initial, jitter outside [0, 1], a blank name
     */
    public Dispatcher build() {
      if (name.isBlank()) {
        throw new IllegalArgumentException("name: \"" + name + "\" (expected: not blank)");
      }
      if (workers < 1) {
        throw new IllegalArgumentException("workers: " + workers + " (expected: > 0)");
      }
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
      }
      if (capacity > (1 << 30)) {
        throw new IllegalArgumentException("capacity: " + capacity + " (expected: <= 2^30)");
      }
      for (Map.Entry<Lane, Integer> e : weights.entrySet()) {
        if (e.getValue() < 1) {
          throw new IllegalArgumentException("laneWeight(" + e.getKey() + "): " + e.getValue() + " (expected: > 0)");
        }
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: > 0)");
      }
      if (retryInitial.isNegative() || retryInitial.isZero()) {
        throw new IllegalArgumentException("retryBackoff initial: " + retryInitial + " (expected: > 0)");
      }
      if (retryMax.compareTo(retryInitial) < 0) {
        throw new IllegalArgumentException(
            "retryBackoff max: " + retryMax + " (expected: >= initial " + retryInitial + ")");
      }
      if (!(retryJitter >= 0 && retryJitter <= 1)) {
        throw new IllegalArgumentException("retryJitter: " + retryJitter + " (expected: in [0, 1])");
      }
      Builder copy = new Builder();
      copy.name = name;
      copy.workers = workers;
      copy.capacity = capacity;
      copy.threadFactory = threadFactory;
      copy.idle = idle;
      copy.overflow = overflow;
      copy.weights.putAll(weights);
      copy.maxAttempts = maxAttempts;
      copy.retryInitial = retryInitial;
      copy.retryMax = retryMax;
      copy.retryJitter = retryJitter;
      copy.deadLetterHandler = deadLetterHandler;
      copy.droppedHandler = droppedHandler;
      copy.ticker = ticker;
      return new Dispatcher(copy);
    }
  }
}
