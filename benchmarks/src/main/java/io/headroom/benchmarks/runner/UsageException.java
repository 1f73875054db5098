package io.headroom.benchmarks.runner;

/** A command line the runner cannot understand; the runner prints the message and the usage. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
