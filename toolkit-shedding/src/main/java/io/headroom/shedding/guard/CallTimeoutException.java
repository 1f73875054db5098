package io.headroom.shedding.guard;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A guarded call passed its deadline. Thrown by {@link Guard#call}, or completes the future of
 * {@link Guard#callAsync}. The work may still be running if it ignored its interrupt or
 * cancellation. Its cause, if any, is what the work threw after it was interrupted.
 *
 * <p>No stack trace is filled in: timeouts are frequent under overload and must stay cheap.
 */
public final class CallTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  public CallTimeoutException(Duration timeout, @Nullable Throwable cause) {
    super("call timed out after " + timeout, cause, false, false);
    this.timeout = timeout;
  }

  /** The timeout that expired. */
  public Duration timeout() {
    return timeout;
  }
}
