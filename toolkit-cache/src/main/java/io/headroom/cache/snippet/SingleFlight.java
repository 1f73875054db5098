package io.headroom.cache.snippet;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * <b>Copy-in snippet</b> (JDK only, this one file; from Headroom's toolkit-cache): in-process
 * single flight. While a load of a key is running, every other caller asking for that key waits
 * for that same load instead of starting its own, and gets its result or its exception. Once the
 * load has finished the key is forgotten: the next call loads again (put a cache in front).
 *
 * <pre>{@code
 * SingleFlight<String, User> flights = new SingleFlight<>();
 * User u = flights.load(id, () -> db.findUser(id));                 // sync: blocks
 * CompletableFuture<User> f = flights.loadAsync(id, () -> db.findUserAsync(id)); // never blocks
 * }</pre>
 *
 * <p>Guarantees: at most one running load per key at a time (by {@code equals}); every caller
 * that joined a load sees exactly its outcome; an exception thrown by the loader reaches every
 * joined caller (sync callers get the loader's own {@code RuntimeException} or {@code Error}).
 * Loads of different keys run independently. Sync and async callers of the same key share one
 * load. A loader must not load the same key again (it would wait for itself).
 *
 * <p>Cost: one {@code ConcurrentHashMap} insert and remove per load, nothing per joined caller
 * but a future. Thread-safe. Loaders may not return null futures; values may be null.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class SingleFlight<K, V> {

  private final ConcurrentHashMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  /**
   * Runs {@code loader} for {@code key} unless a load of it is running, in which case waits for
   * that one. Blocks the caller.
   */
  public V load(K key, Supplier<? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
    try {
      V value = loader.get();
      inFlight.remove(key, mine);
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Starts {@code loader} for {@code key} unless a load of it is running, in which case returns
   * a future of that one. Never blocks; the returned future is the caller's own (completing or
   * cancelling it affects no other caller).
   */
  public CompletableFuture<V> loadAsync(K key, Supplier<? extends CompletableFuture<? extends V>> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running.copy();
    }
    CompletableFuture<? extends V> started;
    try {
      started = Objects.requireNonNull(loader.get(), "loader returned null");
    } catch (RuntimeException | Error e) {
      started = CompletableFuture.failedFuture(e);
    }
    var unused = started.whenComplete(
        (value, error) -> {
          inFlight.remove(key, mine);
          if (error != null) {
            mine.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
          } else {
            mine.complete(value);
          }
        });
    return mine.copy();
  }

  /** How many loads are running now. */
  public int inFlight() {
    return inFlight.size();
  }
}
