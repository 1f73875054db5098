package io.headroom.cache.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** Logs the first occurrence of a fault at WARN and the rest at DEBUG. Thread-safe; not API. */
final class LogOnce {
  private final AtomicBoolean logged = new AtomicBoolean();

  void log(Logger logger, String message, Throwable cause) {
    if (!logged.get() && logged.compareAndSet(false, true)) {
      logger.warn(message + " (logged once; further occurrences at DEBUG, all counted)", cause);
    } else if (logger.isDebugEnabled()) {
      logger.debug(message, cause);
    }
  }
}
