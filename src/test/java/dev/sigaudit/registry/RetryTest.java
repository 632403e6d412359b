package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.MutableClock;
import dev.sigaudit.testing.Oci;
import dev.sigaudit.testing.Responses;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
  private final FakeRegistry reg = new FakeRegistry();
  private final FakeSleeper sleeper = new FakeSleeper();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final ImageRef repo = ImageRef.parse(reg.host() + "/app");
  private final byte[] manifest = Oci.manifest().build();
  private final Digest digest = Digest.sha256(manifest);
  private final String path = "/v2/app/manifests/" + digest;
  private RegistryClient client = client(RetryPolicy.DEFAULT);

  @AfterEach
  void close() {
    client.close();
    reg.close();
  }

  private RegistryClient client(RetryPolicy policy) {
    return RegistryClient.builder()
        .insecureRegistries(Set.of(reg.host()))
        .sleeper(sleeper)
        .clock(clock)
        .retryPolicy(policy)
        .requestTimeout(Duration.ofMillis(500))
        .build();
  }

  /** Fails {@code failures} times with {@code status} (and Retry-After if given), then serves. */
  private AtomicInteger failThenServe(int failures, int status, String retryAfter) {
    AtomicInteger calls = new AtomicInteger();
    reg.route(
        path,
        ex -> {
          if (calls.incrementAndGet() <= failures) {
            if (retryAfter != null) {
              ex.getResponseHeaders().add("Retry-After", retryAfter);
            }
            String code = status == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE";
            FakeRegistry.sendJson(ex, status, Responses.error(code, "slow down"));
            return;
          }
          ex.getResponseHeaders().add("Content-Type", Oci.MANIFEST);
          FakeRegistry.send(ex, 200, manifest);
        });
    return calls;
  }

  @Test
  void rateLimitedRequestWaitsTheRetryAfterSecondsThenSucceeds() throws Exception {
    AtomicInteger calls = failThenServe(1, 429, "7");

    assertThat(client.manifest(repo, digest).digest()).isEqualTo(digest);

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
    assertThat(calls).hasValue(2);
  }

  @Test
  void retryAfterAsAnHttpDateIsHonoured() throws Exception {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plusSeconds(30).atOffset(ZoneOffset.UTC));
    failThenServe(1, 503, date);

    client.manifest(repo, digest);

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void rateLimitGivesUpAtOnceWhenRetryAfterExceedsTheWaitBudget() {
    AtomicInteger calls = failThenServe(10, 429, "120");

    assertThatThrownBy(() -> client.manifest(repo, digest))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
              assertThat(e.status()).hasValue(429);
            })
        .hasMessage(
            "fetching manifest "
                + reg.host()
                + "/app@"
                + digest
                + " failed: 429 Too Many Requests (TOOMANYREQUESTS: slow down);"
                + " Retry-After of 120s exceeds the remaining retry budget of 60s (after 1 attempt)");
    assertThat(sleeper.waits()).isEmpty();
    assertThat(calls).hasValue(1);
  }

  @Test
  void rateLimitGivesUpAfterTheMaximumNumberOfAttempts() {
    AtomicInteger calls = failThenServe(10, 429, "2");

    assertThatThrownBy(() -> client.manifest(repo, digest))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED))
        .hasMessageEndingWith(
            "failed: 429 Too Many Requests (TOOMANYREQUESTS: slow down); gave up after 4 attempts");
    assertThat(sleeper.waits())
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(calls).hasValue(4);
  }

  @Test
  void totalWaitIsCappedAcrossRetries() {
    client =
        client(
            new RetryPolicy(
                10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(25)));
    failThenServe(10, 429, "10");

    assertThatThrownBy(() -> client.manifest(repo, digest))
        .hasMessageEndingWith(
            "Retry-After of 10s exceeds the remaining retry budget of 5s (after 3 attempts)");
    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  @Test
  void serverErrorIsRetriedWithGrowingJitteredBackoffThenReported() {
    AtomicInteger calls = new AtomicInteger();
    reg.route(
        path,
        ex -> {
          calls.incrementAndGet();
          FakeRegistry.sendText(ex, 500, "boom\nsecond line");
        });

    assertThatThrownBy(() -> client.manifest(repo, digest))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
              assertThat(e.status()).hasValue(500);
            })
        .hasMessage(
            "fetching manifest "
                + reg.host()
                + "/app@"
                + digest
                + " failed: 500 Internal Server Error (boom); gave up after 4 attempts");
    assertThat(calls).hasValue(4);
    List<Duration> waits = sleeper.waits();
    assertThat(waits).hasSize(3);
    // 500 ms doubling, each jittered into the upper half of its step.
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    assertThat(waits.get(2)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
  }

  @Test
  void transientServiceUnavailableRecovers() throws Exception {
    AtomicInteger calls = failThenServe(2, 503, null);

    assertThat(client.manifest(repo, digest).digest()).isEqualTo(digest);
    assertThat(calls).hasValue(3);
    assertThat(sleeper.waits()).hasSize(2);
  }

  @Test
  void clientErrorsAreNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    reg.route(
        path,
        ex -> {
          calls.incrementAndGet();
          FakeRegistry.sendJson(ex, 400, Responses.error("MANIFEST_INVALID", "bad"));
        });

    assertThatThrownBy(() -> client.manifest(repo, digest))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR))
        .hasMessageEndingWith("failed: 400 Bad Request (MANIFEST_INVALID: bad)");
    assertThat(calls).hasValue(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void refusedConnectionIsANetworkErrorAfterRetries() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String host = "127.0.0.1:" + closedPort;
    // The circuit breaker would declare the registry unresponsive first (CircuitBreakerTest);
    // this is about the retries alone.
    try (RegistryClient c =
        RegistryClient.builder()
            .insecureRegistries(Set.of(host))
            .sleeper(sleeper)
            .unresponsiveAfter(100)
            .build()) {
      assertThatThrownBy(() -> c.manifest(ImageRef.parse(host + "/app"), digest))
          .isInstanceOfSatisfying(
              RegistryException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.NETWORK);
                assertThat(e.status()).isEmpty();
              })
          .hasMessageStartingWith(
              "fetching manifest " + host + "/app@" + digest + " failed: network error (")
          .hasMessageContaining("ConnectException")
          .hasMessageEndingWith("; gave up after 4 attempts");
    }
    assertThat(sleeper.waits()).hasSize(3);
  }

  @Test
  void responseThatNeverCompletesTimesOut() {
    client = client(RetryPolicy.NONE);
    reg.route(
        path,
        ex -> {
          try {
            Thread.sleep(5_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    assertThatThrownBy(() -> client.manifest(repo, digest))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
        .hasMessage(
            "fetching manifest "
                + reg.host()
                + "/app@"
                + digest
                + " failed: timed out (HttpTimeoutException: no complete response within 500ms)");
  }

  @Test
  void interruptedCallerGetsInterruptedAndKeepsTheFlag() {
    failThenServe(10, 503, "1");
    Sleeper interrupting =
        d -> {
          throw new InterruptedException();
        };
    try (RegistryClient c =
        RegistryClient.builder()
            .insecureRegistries(Set.of(reg.host()))
            .sleeper(interrupting)
            .build()) {
      assertThatThrownBy(() -> c.manifest(repo, digest))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INTERRUPTED));
      assertThat(Thread.interrupted()).isTrue(); // and clear it for the next test
    }
  }
}
