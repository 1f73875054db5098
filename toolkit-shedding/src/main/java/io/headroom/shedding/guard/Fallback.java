package io.headroom.shedding.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a guarded call returns instead of failing: a function of the failure, chosen by the
 * failure's type. The outermost policy, so it also handles the guard's own refusals:
 * {@link CallTimeoutException}, {@link CircuitOpenException},
 * {@link RetryBudgetExhaustedException} and {@link io.headroom.shedding.RejectedException}.
 *
 * <p>Selection: the handlers are tried in registration order against the failure itself, then
 * against its cause, and so on down the cause chain (so a handler for {@code IOException} also
 * handles a budget denial whose last failure was an {@code IOException}). Async failures are
 * unwrapped from {@code CompletionException} first. A failure no handler matches propagates. An
 * exception thrown by a handler propagates in place of the failure. Only exceptions are
 * handled: an {@code Error} always propagates.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the result type
 */
public final class Fallback<T> {
  private static final int MAX_CAUSE_DEPTH = 16;

  private final Class<?>[] types;
  private final List<Function<Throwable, ? extends T>> handlers;

  private Fallback(List<Class<?>> types, List<Function<Throwable, ? extends T>> handlers) {
    this.types = types.toArray(new Class<?>[0]);
    this.handlers = List.copyOf(handlers);
  }

  /** A fallback that handles every exception with {@code handler}. */
  public static <T> Fallback<T> of(Function<? super Exception, ? extends T> handler) {
    return Fallback.<T>builder().on(Exception.class, handler).build();
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /** Marks "no handler matched" in {@link #apply}. */
  static final Object NO_MATCH = new Object();

  /** The fallback value for {@code failure}, or {@link #NO_MATCH}. */
  @Nullable Object apply(Throwable failure) {
    if (failure instanceof Error) {
      return NO_MATCH;
    }
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
      for (int i = 0; i < types.length; i++) {
        if (types[i].isInstance(current)) {
          return handlers.get(i).apply(current);
        }
      }
      current = current.getCause();
    }
    return NO_MATCH;
  }

  /** Builds a {@link Fallback}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder<T> {
    private final List<Class<?>> types = new ArrayList<>();
    private final List<Function<Throwable, ? extends T>> handlers = new ArrayList<>();

    private Builder() {}

    /**
     * Handle failures of type {@code type} (or with such a cause) with {@code handler}. An
     * {@link Error} type is refused by {@link #build()}: errors are never handled.
     */
    public <X extends Throwable> Builder<T> on(Class<X> type, Function<? super X, ? extends T> handler) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(handler, "handler");
      types.add(type);
      handlers.add(failure -> handler.apply(type.cast(failure)));
      return this;
    }

    /**
     * Validates the settings and builds.
     *
     * @throws IllegalArgumentException if a handler was registered for an {@link Error} type,
     *     naming it
     * @throws IllegalStateException if no handler was registered
     */
    public Fallback<T> build() {
      if (types.isEmpty()) {
        throw new IllegalStateException("handlers: 0 (expected: >= 1, registered with on(type, handler))");
      }
      for (Class<?> type : types) {
        if (Error.class.isAssignableFrom(type)) {
          throw new IllegalArgumentException("type: " + type.getName() + " (expected: not an Error)");
        }
      }
      return new Fallback<>(types, handlers);
    }
  }
}
