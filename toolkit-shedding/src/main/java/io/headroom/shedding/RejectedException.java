package io.headroom.shedding;

/**
 * Thrown (or used to complete a future) when a load shedder refuses a request: the request was
 * not started, so it is always safe to retry elsewhere or fall back.
 *
 * <p>Carries the priority of the refused request and the limit in force when it was refused.
 * Stack traces are not filled in: rejection is a normal, frequent outcome under overload and
 * must stay cheap. Immutable.
 */
public class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Priority priority;
  private final int limit;

  public RejectedException(Priority priority, int limit, String reason) {
    super("rejected " + priority + " request: " + reason + " (limit " + limit + ")", null, false, false);
    this.priority = priority;
    this.limit = limit;
  }

  /** The priority of the refused request. */
  public Priority priority() {
    return priority;
  }

  /** The concurrency limit in force when the request was refused. */
  public int limit() {
    return limit;
  }
}
