package io.headroom.async.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A callable with the future it completes. As a {@link Runnable} (what shutdown returns, and what
 * the dead-letter hook receives) it runs the callable once and completes the future either way.
 *
 * <p>Not API.
 */
public final class FutureJob<T> implements Runnable {
  private final Callable<T> callable;
  private final CompletableFuture<T> future;

  public FutureJob(Callable<T> callable, CompletableFuture<T> future) {
    this.callable = callable;
    this.future = future;
  }

  public CompletableFuture<T> future() {
    return future;
  }

  /** One attempt for a worker: completes the future on success, throws on failure (for retries). */
  void attempt() throws Exception {
    future.complete(callable.call());
  }

  @Override
  public void run() {
    try {
      future.complete(callable.call());
    } catch (Throwable t) {
      future.completeExceptionally(t);
    }
  }

  @Override
  public String toString() {
    return "FutureJob[" + callable + "]";
  }
}
