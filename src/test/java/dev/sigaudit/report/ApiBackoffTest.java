package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiBackoffTest {
  @Test
  void waitsWhatRetryAfterAsksPlusUpToHalfOfItAgain() {
    Optional<Duration> asked = Optional.of(Duration.ofSeconds(2));
    assertThat(ApiBackoff.delay(asked, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(ApiBackoff.delay(asked, () -> 0.5)).isEqualTo(Duration.ofMillis(2500));
    assertThat(ApiBackoff.delay(asked, () -> 0.999)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void withoutRetryAfterWaitsASecondWithJitter() {
    assertThat(ApiBackoff.delay(Optional.empty(), () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ApiBackoff.delay(Optional.empty(), () -> 0.2)).isEqualTo(Duration.ofMillis(1100));
  }

  @Test
  void writesInFlightTogetherComeBackAtDifferentTimes() {
    var one = ApiBackoff.delay(Optional.of(Duration.ofSeconds(1)), () -> 0.1);
    var other = ApiBackoff.delay(Optional.of(Duration.ofSeconds(1)), () -> 0.7);
    assertThat(one).isNotEqualTo(other);
  }

  @Test
  void aHugeRetryAfterIsCappedSoTheScanStaysBounded() {
    assertThat(ApiBackoff.delay(Optional.of(Duration.ofHours(1)), () -> 0.0))
        .isEqualTo(ApiBackoff.MAX);
    assertThat(ApiBackoff.delay(Optional.of(Duration.ofHours(1)), () -> 0.999))
        .isLessThan(ApiBackoff.MAX.multipliedBy(3).dividedBy(2));
  }

  @Test
  void retriesA429UntilAnotherAnswerAndGivesUpAfterTheLastRetry() {
    // Retry-After: 0, so no real waiting.
    Optional<Duration> now = Optional.of(Duration.ZERO);
    var answers = new java.util.ArrayDeque<>(java.util.List.of(429, 429, 201));
    int got = ApiBackoff.retrying(answers::poll, a -> a == 429, a -> now);
    assertThat(got).isEqualTo(201);
    assertThat(answers).isEmpty();

    int[] calls = {0};
    int last =
        ApiBackoff.retrying(
            () -> {
              calls[0]++;
              return 429;
            },
            a -> a == 429,
            a -> now);
    assertThat(last).as("the last answer is handed back").isEqualTo(429);
    assertThat(calls[0]).isEqualTo(1 + ApiBackoff.MAX_RETRIES);
  }
}
