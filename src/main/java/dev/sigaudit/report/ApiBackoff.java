package dev.sigaudit.report;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long a report write waits before retrying a 429: the apiserver's {@code Retry-After} (API
 * priority and fairness sends one; 1 s when absent), at most {@link #MAX}, plus up to half of it
 * again at random, so that the writes in flight together do not all come back in the same instant.
 */
final class ApiBackoff {
  static final Duration DEFAULT = Duration.ofSeconds(1);

  /**
   * The longest wait asked for that is honoured: a write is retried {@value
   * ReportApplier#MAX_RETRIES} times at most, so one write waits at most about a minute.
   */
  static final Duration MAX = Duration.ofSeconds(5);

  private ApiBackoff() {}

  /**
   * @param retryAfter what the answer's {@code Retry-After} asked for, if anything
   * @param random a number in [0, 1)
   */
  static Duration delay(Optional<Duration> retryAfter, DoubleSupplier random) {
    Duration base = retryAfter.filter(d -> !d.isNegative()).orElse(DEFAULT);
    if (base.compareTo(MAX) > 0) {
      base = MAX;
    }
    long jitter = (long) (base.toMillis() * 0.5 * random.getAsDouble());
    return base.plusMillis(jitter);
  }

  /** Sleeps {@code d}; false when interrupted (the interrupt is kept). */
  static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
