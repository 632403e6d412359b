package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.Oci;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final FakeRegistry reg = new FakeRegistry();
  private final FakeSleeper sleeper = new FakeSleeper();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void close() {
    never.countDown();
    reg.close();
  }

  @Test
  void opensAfterTheThresholdOfConsecutiveFailures() throws Exception {
    CircuitBreaker b = new CircuitBreaker(3);
    b.failed("r");
    b.failed("r");
    b.check("r");
    b.failed("r");

    assertThat(b.isOpen("r")).isTrue();
    assertThat(b.isOpen("other")).isFalse();
    assertThatThrownBy(() -> b.check("r"))
        .isInstanceOf(CircuitBreaker.Open.class)
        .hasMessage(
            "registry r unresponsive: 3 consecutive timeouts or connection failures; its remaining"
                + " lookups were not attempted");
  }

  @Test
  void anAnswerResetsTheCountButNotAnOpenCircuit() throws Exception {
    CircuitBreaker b = new CircuitBreaker(2);
    b.failed("r");
    b.succeeded("r");
    b.failed("r");
    assertThat(b.isOpen("r")).isFalse();

    b.failed("r");
    b.succeeded("r"); // a late answer to a request sent before the circuit opened
    assertThat(b.isOpen("r")).isTrue();
  }

  @Test
  void aSilentRegistryIsDeclaredUnresponsiveAndItsLaterLookupsAreNotSent() {
    // Accepts connections and never answers: what used to cost every lookup its full timeout
    // times its retries.
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    Digest first = Digest.sha256(Oci.manifest().build());
    Digest second = Digest.sha256(new byte[] {42});
    for (Digest d : new Digest[] {first, second}) {
      reg.route(
          "/v2/app/manifests/" + d,
          ex -> {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    try (RegistryClient c =
        RegistryClient.builder()
            .insecureRegistries(Set.of(reg.host()))
            .sleeper(sleeper)
            .firstByteTimeout(Duration.ofMillis(200))
            .unresponsiveAfter(2)
            .build()) {
      assertThatThrownBy(() -> c.manifest(repo, first))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRESPONSIVE))
          .hasMessageStartingWith(
              "fetching manifest " + reg.host() + "/app@" + first + " failed: registry ")
          .hasMessageContaining("unresponsive (HttpTimeoutException: no response within 200ms")
          .hasMessageEndingWith("; gave up after 2 attempts)");
      // Two attempts, one wait between them: the retries the policy would still allow are not
      // spent on a registry that is not answering.
      assertThat(sleeper.waits()).hasSize(1);

      assertThatThrownBy(() -> c.manifest(repo, second))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRESPONSIVE))
          .hasMessageEndingWith(
              "failed: registry "
                  + reg.host()
                  + " unresponsive: 2 consecutive timeouts or connection failures; its remaining"
                  + " lookups were not attempted");
    }
    assertThat(reg.requests(second.toString())).isEmpty();
    assertThat(sleeper.waits()).hasSize(1);
  }

  @Test
  void aRegistryThatRefusesConnectionsIsDeclaredUnresponsiveAfterTheThreshold() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String host = "127.0.0.1:" + closedPort;
    ImageRef repo = ImageRef.parse(host + "/app");
    try (RegistryClient c =
        RegistryClient.builder().insecureRegistries(Set.of(host)).sleeper(sleeper).build()) {
      assertThatThrownBy(() -> c.manifest(repo, Digest.sha256(new byte[] {1})))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRESPONSIVE))
          .hasMessageContaining("unresponsive (ConnectException")
          .hasMessageEndingWith("; gave up after 3 attempts)");
      assertThatThrownBy(() -> c.manifest(repo, Digest.sha256(new byte[] {2})))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRESPONSIVE))
          .hasMessageEndingWith("its remaining lookups were not attempted");
    }
  }

  @Test
  void aRegistryThatAnswersWithErrorsIsNotUnresponsive() {
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    try (RegistryClient c =
        RegistryClient.builder()
            .insecureRegistries(Set.of(reg.host()))
            .sleeper(sleeper)
            .unresponsiveAfter(1)
            .build()) {
      for (int i = 0; i < 3; i++) {
        Digest d = Digest.sha256(new byte[] {(byte) i});
        assertThatThrownBy(() -> c.manifest(repo, d))
            .isInstanceOfSatisfying(
                RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
      }
    }
  }
}
