package dev.sigaudit.report;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retries the apiserver's 429 answers (it sends them while a CRD's storage is (re)initializing and
 * under API priority and fairness limits), {@value #MAX_RETRIES} times at most. How long a report
 * write waits before retrying a 429: the apiserver's {@code Retry-After} (API priority and fairness
 * sends one; 1 s when absent), at most {@link #MAX}, plus up to half of it again at random, so that
 * the writes in flight together do not all come back in the same instant.
 */
final class ApiBackoff {
  static final int MAX_RETRIES = 10;
  static final Duration DEFAULT = Duration.ofSeconds(1);

  /**
   * The longest wait asked for that is honoured: a write is retried {@value #MAX_RETRIES} times at
   * most, so one write waits at most about a minute.
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

  /**
   * Calls {@code call} until its answer is not a 429 or the retries are spent; an interrupt while
   * waiting returns the last answer (the interrupt is kept).
   *
   * @param retryAfter what an answer's {@code Retry-After} asked for, where the answer shows it
   */
  static <T> T retrying(
      Supplier<T> call, Predicate<T> tooManyRequests, Function<T, Optional<Duration>> retryAfter) {
    T answer = call.get();
    for (int i = 0; i < MAX_RETRIES && tooManyRequests.test(answer); i++) {
      if (!sleep(delay(retryAfter.apply(answer), ThreadLocalRandom.current()::nextDouble))) {
        return answer;
      }
      answer = call.get();
    }
    return answer;
  }

  /** Sleeps {@code d}; false when interrupted (the interrupt is kept). */
  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
