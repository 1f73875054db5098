package io.headroom.shedding;

import io.headroom.shedding.snippets.AimdPriorityLimiter;
import org.jspecify.annotations.Nullable;

/** Adapts the copy-in snippet to {@link Limiter}, so the limiter behaviour tests run against it. */
final class SnippetLimiter implements Limiter {
  final AimdPriorityLimiter snippet;

  SnippetLimiter(AimdPriorityLimiter snippet) {
    this.snippet = snippet;
  }

  @Override
  public @Nullable Permit tryAcquire(Priority priority) {
    AimdPriorityLimiter.Permit p =
        snippet.tryAcquire(AimdPriorityLimiter.Priority.valueOf(priority.name()));
    if (p == null) {
      return null;
    }
    return new Permit() {
      @Override
      public void success() {
        p.success();
      }

      @Override
      public void dropped() {
        p.dropped();
      }

      @Override
      public void ignore() {
        p.ignore();
      }
    };
  }

  @Override
  public int limit() {
    return snippet.limit();
  }

  @Override
  public int inFlight() {
    return snippet.inFlight();
  }
}
