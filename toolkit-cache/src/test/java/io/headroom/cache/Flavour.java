package io.headroom.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The sync and async read APIs behind one call, so a behaviour test runs against both. */
enum Flavour {
  SYNC {
    @Override
    <K, V> @Nullable V get(TieredCache<K, V> cache, K key, Function<K, @Nullable V> loader) {
      return cache.get(key, loader);
    }
  },
  ASYNC {
    @Override
    <K, V> @Nullable V get(TieredCache<K, V> cache, K key, Function<K, @Nullable V> loader) {
      CompletableFuture<@Nullable V> f =
          cache.getAsync(key, k -> {
            try {
              return CompletableFuture.completedFuture(loader.apply(k));
            } catch (RuntimeException e) {
              return CompletableFuture.failedFuture(e);
            }
          });
      try {
        return f.get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new CompletionException(e.getCause());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  };

  abstract <K, V> @Nullable V get(TieredCache<K, V> cache, K key, Function<K, @Nullable V> loader);
}
