package dev.sigaudit.registry;

import java.time.Duration;
import java.util.Arrays;

/**
 * How many requests one registry host may have in flight, learned from its answers: a registry far
 * away hides its latency only behind concurrency, and a fixed limit is either too low for a
 * registry that answers 50 ms away or too high for one that rate-limits.
 *
 * <p>The limit starts at {@code start} and is judged once per window of as many answers as the
 * limit allows in flight (one "round" of the host's concurrency):
 *
 * <ul>
 *   <li>latency flat (the window's median within {@value #FLAT_FACTOR}× the lowest window median
 *       seen, plus {@link #SLACK} for jitter) and no throttling: the limit grows — doubling until
 *       the first sign of pressure, by one afterwards — up to {@code ceiling};
 *   <li>latency rising (the registry queues our requests): the limit shrinks by a quarter;
 *   <li>throttled (429, 503, a timeout): the limit halves at once, at most once per window, since
 *       the answers to requests already in flight say nothing about the new limit.
 * </ul>
 *
 * <p>This only decides how many requests wait; it never changes a request or its answer, and 429 /
 * {@code Retry-After} are still honoured by the {@link Retrier}. Pure and synchronized: it takes
 * latencies as values, so its behaviour is tested without clocks.
 */
final class AdaptiveLimit {
  /** Latency may grow by this factor over the best window before the limit stops growing. */
  static final double FLAT_FACTOR = 2.0;

  /** Absolute jitter allowance, so that a loopback registry's 1 ms → 3 ms is not "rising". */
  static final Duration SLACK = Duration.ofMillis(5);

  /** Answers per window at least, so that a window at a low limit is not one noisy sample. */
  static final int MIN_WINDOW = 8;

  private final int ceiling;
  private int limit;
  private boolean slowStart = true;
  private long bestMedianNanos = Long.MAX_VALUE;
  private long[] window = new long[MIN_WINDOW];
  private int filled;
  private int throttledWindow;

  /**
   * @param start the limit before any answer, at least 1
   * @param ceiling the most it may grow to (the user's {@code --registry-concurrency}); at least
   *     {@code start}
   */
  AdaptiveLimit(int start, int ceiling) {
    if (start < 1 || ceiling < start) {
      throw new IllegalArgumentException(
          "need 1 <= start <= ceiling, got " + start + ", " + ceiling);
    }
    this.limit = start;
    this.ceiling = ceiling;
    newWindow();
  }

  synchronized int limit() {
    return limit;
  }

  /** A response arrived after {@code latency}, whatever its status (except throttling ones). */
  synchronized void answered(Duration latency) {
    if (throttledWindow > 0) {
      throttledWindow--; // sent under the old limit: no evidence about the new one
      return;
    }
    window[filled++] = latency.toNanos();
    if (filled < window.length) {
      return;
    }
    long[] sorted = Arrays.copyOf(window, filled);
    Arrays.sort(sorted);
    long median = sorted[sorted.length / 2];
    bestMedianNanos = Math.min(bestMedianNanos, median);
    if (median <= bestMedianNanos * FLAT_FACTOR + SLACK.toNanos()) {
      limit = Math.min(ceiling, slowStart ? limit * 2 : limit + 1);
    } else {
      slowStart = false;
      limit = Math.max(1, limit - Math.max(1, limit / 4));
    }
    newWindow();
  }

  /** The host said "too many" (429, 503) or did not answer in time. */
  synchronized void throttled() {
    if (throttledWindow > 0) {
      throttledWindow--;
      return; // already halved for this round
    }
    slowStart = false;
    throttledWindow = limit - 1; // the other requests in flight when it said so
    limit = Math.max(1, limit / 2);
    newWindow();
  }

  private void newWindow() {
    window = new long[Math.max(MIN_WINDOW, limit)];
    filled = 0;
  }
}
