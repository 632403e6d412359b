package dev.sigaudit.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How idempotent requests (GET, HEAD) are retried on 429, 5xx and network errors.
 *
 * <p>A {@code Retry-After} header (on 429 and 503) is obeyed as given, because retrying earlier
 * only burns more of the client's quota (Docker Hub, ECR). Otherwise the wait is exponential with
 * jitter, so many scanner threads hitting the same outage do not retry in lock-step. A request
 * gives up when {@code maxAttempts} is reached or when the next wait would take the total waited
 * past {@code maxTotalWait}: a scan must end, and a registry asking for ten minutes is better
 * reported as rate limited than waited for.
 *
 * @param maxAttempts total attempts including the first, at least 1
 * @param initialBackoff wait before the second attempt (before jitter)
 * @param maxBackoff cap of one exponential wait (not of Retry-After)
 * @param maxTotalWait cap of all waits of one request
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalWait) {

  /** 4 attempts, 500 ms doubling up to 8 s, at most 60 s of waiting per request. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60));

  /** A single attempt. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff);
    Objects.requireNonNull(maxBackoff);
    Objects.requireNonNull(maxTotalWait);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /**
   * The wait after failed attempt {@code attempt} (1-based): {@code initial * 2^(attempt-1)},
   * capped, then a uniformly random value in its upper half ("equal jitter").
   */
  Duration backoff(int attempt) {
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    if (capped <= 1) {
      return Duration.ofMillis(capped);
    }
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
  }
}
