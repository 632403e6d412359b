package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How exchanges' outcomes move a host's limit; sequential, so no timing is involved. */
class HostLimiterTest {
  private static final Duration RTT = Duration.ofMillis(50);

  private static void exchange(HostLimiter l, String host, int status) throws Exception {
    l.acquire(host);
    l.answered(host, status, RTT);
  }

  @Test
  void everyHostStartsAtEightOrItsCeilingIfLower() {
    assertThat(new HostLimiter(64).limit("a")).isEqualTo(HostLimiter.START);
    assertThat(new HostLimiter(3).limit("a")).isEqualTo(3);
  }

  @Test
  void answersAtFlatLatencyGrowTheLimitOfThatHostOnly() throws Exception {
    HostLimiter l = new HostLimiter(64);
    for (int i = 0; i < 8; i++) {
      exchange(l, "far.example", 200);
    }
    assertThat(l.limit("far.example")).isEqualTo(16);
    assertThat(l.limit("other.example")).isEqualTo(8);
  }

  @Test
  void notFoundIsAnAnswerLikeAnyOther() throws Exception {
    HostLimiter l = new HostLimiter(64);
    for (int i = 0; i < 8; i++) {
      exchange(l, "r", 404); // an unsigned image's .sig lookup: the registry is answering fine
    }
    assertThat(l.limit("r")).isEqualTo(16);
  }

  @Test
  void tooManyRequestsAndServiceUnavailableHalveTheLimit() throws Exception {
    HostLimiter l = new HostLimiter(64);
    exchange(l, "r", 429);
    assertThat(l.limit("r")).isEqualTo(4);
    HostLimiter m = new HostLimiter(64);
    exchange(m, "r", 503);
    assertThat(m.limit("r")).isEqualTo(4);
  }

  @Test
  void aTimeoutHalvesTheLimitAndARefusedConnectionTeachesNothing() throws Exception {
    HostLimiter l = new HostLimiter(64);
    l.acquire("r");
    l.release("r");
    assertThat(l.limit("r")).isEqualTo(8);
    l.acquire("r");
    l.timedOut("r");
    assertThat(l.limit("r")).isEqualTo(4);
  }
}
