package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-host limit as a pure function of the answers it is told about: no clock, no threads. */
class AdaptiveLimitTest {
  private static final Duration RTT = Duration.ofMillis(50);

  private static void answers(AdaptiveLimit l, int n, Duration latency) {
    for (int i = 0; i < n; i++) {
      l.answered(latency);
    }
  }

  /** One full window at the current limit. */
  private static void window(AdaptiveLimit l, Duration latency) {
    answers(l, Math.max(AdaptiveLimit.MIN_WINDOW, l.limit()), latency);
  }

  @Test
  void flatLatencyDoublesTheLimitEachWindowUpToTheCeiling() {
    AdaptiveLimit l = new AdaptiveLimit(8, 64);
    window(l, RTT);
    assertThat(l.limit()).isEqualTo(16);
    window(l, RTT);
    assertThat(l.limit()).isEqualTo(32);
    window(l, RTT);
    window(l, RTT);
    window(l, RTT);
    assertThat(l.limit()).isEqualTo(64);
  }

  @Test
  void theLimitDoesNotChangeBeforeAWindowIsComplete() {
    AdaptiveLimit l = new AdaptiveLimit(8, 64);
    answers(l, 7, RTT);
    assertThat(l.limit()).isEqualTo(8);
  }

  @Test
  void risingLatencyStopsTheGrowthAndGivesBackAQuarter() {
    AdaptiveLimit l = new AdaptiveLimit(8, 64);
    window(l, RTT); // 16, best median 50 ms
    window(l, RTT.multipliedBy(3)); // the registry queues our requests
    assertThat(l.limit()).isEqualTo(12);
    window(l, RTT); // flat again: one at a time now, no more doubling
    assertThat(l.limit()).isEqualTo(13);
  }

  @Test
  void aFewSlowAnswersInAWindowDoNotCountAsRising() {
    AdaptiveLimit l = new AdaptiveLimit(8, 64);
    answers(l, 5, RTT);
    answers(l, 3, Duration.ofSeconds(2)); // a big blob or two: the median is still 50 ms
    assertThat(l.limit()).isEqualTo(16);
  }

  @Test
  void throttlingHalvesTheLimitOnceForTheRequestsAlreadyInFlight() {
    AdaptiveLimit l = new AdaptiveLimit(8, 64);
    window(l, RTT);
    window(l, RTT);
    assertThat(l.limit()).isEqualTo(32);
    l.throttled(); // 429
    assertThat(l.limit()).isEqualTo(16);
    // The other 31 requests sent under the old limit may all answer 429 too: one halving only.
    for (int i = 0; i < 31; i++) {
      l.throttled();
    }
    assertThat(l.limit()).isEqualTo(16);
    l.throttled(); // a 429 under the new limit
    assertThat(l.limit()).isEqualTo(8);
  }

  @Test
  void afterThrottlingTheLimitGrowsByOneAtATime() {
    AdaptiveLimit l = new AdaptiveLimit(8, 64);
    l.throttled();
    assertThat(l.limit()).isEqualTo(4);
    answers(l, 7, RTT); // the answers of the 7 others in flight when it throttled
    assertThat(l.limit()).isEqualTo(4);
    window(l, RTT);
    assertThat(l.limit()).isEqualTo(5);
  }

  @Test
  void theLimitNeverGoesBelowOneNorAboveTheCeiling() {
    AdaptiveLimit l = new AdaptiveLimit(2, 3);
    for (int i = 0; i < 100; i++) {
      l.throttled();
      l.answered(RTT);
    }
    assertThat(l.limit()).isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      window(l, RTT);
    }
    assertThat(l.limit()).isEqualTo(3);
  }

  @Test
  void aCeilingBelowTheStartIsRefused() {
    assertThatThrownBy(() -> new AdaptiveLimit(8, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveLimit(0, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
