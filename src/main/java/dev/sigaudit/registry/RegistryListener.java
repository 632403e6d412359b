package dev.sigaudit.registry;

import java.time.Duration;

/**
 * Observes registry traffic, for metrics and benchmarks (e.g. "requests per unsigned digest").
 * Called from the requesting thread, possibly concurrently: implementations must be thread-safe and
 * fast. Labels are bounded: registry host, {@link Endpoint}, HTTP status.
 */
public interface RegistryListener {
  /** Does nothing. */
  RegistryListener NOOP = new RegistryListener() {};

  /**
   * One HTTP exchange finished (every hop of a redirect and every retry counts).
   *
   * @param registry the registry the request was made for (not the redirect target host)
   * @param status the HTTP status, or {@code -1} when no response arrived (network error, timeout)
   */
  default void onResponse(String registry, Endpoint endpoint, int status) {}

  /**
   * The calling thread waits for an answer that another thread is requesting on behalf of both (a
   * repository's tag list is read once per scan): no request of its own, but a round trip on its
   * critical path.
   */
  default void onAwaited(String registry, Endpoint endpoint) {}

  /** A request is about to be retried after {@code wait}. */
  default void onRetry(String registry, Endpoint endpoint, Duration wait) {}
}
