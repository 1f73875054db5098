package io.headroom.benchmarks.runner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Counts what has run and prints one line per benchmark or scenario as it starts: what runs,
 * how many are left, and an estimate of the time left. The estimate is the planned time of
 * what is left, scaled by how far the actual time so far has exceeded (or undercut) the plan.
 *
 * <p>Not thread-safe: the runner's thread drives it.
 */
public final class Progress {

  private final PrintStream out;
  private final LongSupplier nanoTime;
  private final int total;
  private double plannedTotal;
  private int started;
  private double plannedDone;
  private long elapsedDoneNanos;
  private long currentStart;
  private double currentPlanned;
  private boolean running;

  /**
   * @param total the number of units (benchmark runs plus scenarios)
   * @param plannedSeconds the planned time of all units
   */
  public Progress(PrintStream out, LongSupplier nanoTime, int total, double plannedSeconds) {
    this.out = out;
    this.nanoTime = nanoTime;
    this.total = total;
    this.plannedTotal = plannedSeconds;
  }

  /** Marks the unit before as done (if any) and prints the line for the unit starting now. */
  public void start(String label, double plannedSeconds) {
    finishCurrent();
    started++;
    currentStart = nanoTime.getAsLong();
    currentPlanned = plannedSeconds;
    running = true;
    int left = Math.max(0, total - started);
    out.println(String.format(Locale.ROOT, "[%" + width() + "d/%d] %s · %d left · ~%s left",
        started, total, label, left, Durations.format(estimateLeft())));
    out.flush();
  }

  /** Marks the current unit as done. */
  public void finishCurrent() {
    if (running) {
      running = false;
      plannedDone += currentPlanned;
      elapsedDoneNanos += nanoTime.getAsLong() - currentStart;
    }
  }

  /** Units that were planned but will not run (their class failed): drop them from the plan. */
  public void skip(int units, double plannedSeconds) {
    plannedTotal -= plannedSeconds;
    started += units;
  }

  /** The planned time left (including the unit now starting), scaled by the pace so far. */
  Duration estimateLeft() {
    double left = Math.max(0, plannedTotal - plannedDone);
    double pace = plannedDone > 0 ? (elapsedDoneNanos / 1e9) / plannedDone : 1.0;
    return Duration.ofMillis(Math.round(left * pace * 1000));
  }

  private int width() {
    return Integer.toString(Math.max(1, total)).length();
  }

  public int started() {
    return started;
  }
}
