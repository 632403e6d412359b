package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redirects, plain HTTP vs HTTPS, and per-registry concurrency. */
class TransportTest {
  private static final Credentials ALICE = Credentials.basic("alice", "pw");
  private static final String ALICE_BASIC =
      "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8));

  private final FakeRegistry reg = new FakeRegistry();
  private final FakeRegistry cdn = new FakeRegistry();
  private final FakeSleeper sleeper = new FakeSleeper();
  private final ImageRef repo = ImageRef.parse(reg.host() + "/app");

  @AfterEach
  void close() {
    reg.close();
    cdn.close();
  }

  private RegistryClient client(int permits) {
    return RegistryClient.builder()
        .insecureRegistries(Set.of(reg.host(), cdn.host()))
        .credentials(CredentialProvider.of(Map.of(reg.host(), ALICE)))
        .maxConcurrentPerRegistry(permits)
        .sleeper(sleeper)
        .build();
  }

  @Test
  void blobRedirectToAnotherHostIsFollowedWithoutTheAuthorizationHeader() throws Exception {
    byte[] content = "signature payload".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(content);
    reg.requireAuthorization(ALICE_BASIC, "Basic realm=\"r\"");
    reg.route(
        "/v2/app/blobs/" + d,
        ex -> {
          if (!ALICE_BASIC.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"r\"");
            FakeRegistry.sendJson(ex, 401, "{}");
            return;
          }
          ex.getResponseHeaders().add("Location", cdn.url() + "/bucket/blob?X-Signature=abc");
          FakeRegistry.send(ex, 307, new byte[0]);
        });
    cdn.route("/bucket/blob", ex -> FakeRegistry.send(ex, 200, content));

    try (RegistryClient c = client(8)) {
      assertThat(c.blob(repo, d, 1024)).isEqualTo(content);
    }

    assertThat(reg.requests())
        .extracting(r -> r.header("Authorization"))
        .containsExactly(null, ALICE_BASIC);
    assertThat(cdn.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.header("Authorization")).isNull();
              assertThat(r.query()).isEqualTo("X-Signature=abc");
            });
  }

  @Test
  void redirectWithinTheRegistryKeepsTheAuthorizationHeader() throws Exception {
    byte[] content = "x".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(content);
    reg.requireAuthorization(ALICE_BASIC, "Basic realm=\"r\"");
    reg.route(
        "/v2/app/blobs/" + d,
        ex -> {
          if (ex.getRequestHeaders().getFirst("Authorization") == null) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"r\"");
            FakeRegistry.sendJson(ex, 401, "{}");
            return;
          }
          ex.getResponseHeaders().add("Location", "/storage/blob");
          FakeRegistry.send(ex, 302, new byte[0]);
        });
    reg.route("/storage/blob", ex -> FakeRegistry.send(ex, 200, content));

    try (RegistryClient c = client(8)) {
      assertThat(c.blob(repo, d, 1024)).isEqualTo(content);
    }
    assertThat(reg.requests("/storage/blob"))
        .singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo(ALICE_BASIC));
  }

  @Test
  void redirectLoopIsAnInvalidResponse() {
    Digest d = Digest.sha256(new byte[] {9});
    reg.route(
        "/v2/app/blobs/" + d,
        ex -> {
          ex.getResponseHeaders().add("Location", "/v2/app/blobs/" + d);
          FakeRegistry.send(ex, 307, new byte[0]);
        });

    try (RegistryClient c = client(8)) {
      assertThatThrownBy(() -> c.blob(repo, d, 1024))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE))
          .hasMessage(
              "fetching blob " + reg.host() + "/app@" + d + " failed: more than 5 redirects");
    }
  }

  @Test
  void registryNotListedAsInsecureIsOnlyEverContactedOverHttps() throws Exception {
    // A plain-HTTP server: it records the first byte of each connection and answers in HTTP.
    List<Integer> firstBytes = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (java.net.ServerSocket plain =
        new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!plain.isClosed()) {
                  try (java.net.Socket s = plain.accept()) {
                    firstBytes.add(s.getInputStream().read());
                    s.getOutputStream()
                        .write(
                            "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  } catch (java.io.IOException e) {
                    return;
                  }
                }
              });
      String host = "127.0.0.1:" + plain.getLocalPort();
      Digest d = Digest.sha256(new byte[] {1});
      try (RegistryClient c = RegistryClient.builder().sleeper(sleeper).build()) {
        assertThatThrownBy(() -> c.manifest(ImageRef.parse(host + "/app"), d))
            .isInstanceOfSatisfying(
                // The summary's "plain-HTTP registry, add --insecure-registry" rests on this kind.
                RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PLAIN_HTTP))
            .hasMessageStartingWith(
                "fetching manifest " + host + "/app@" + d + " failed: TLS failure (");
      }
    }
    // 0x16 opens a TLS handshake record: every connection was an HTTPS attempt, and there was
    // no fallback to plain HTTP. How many connections is the JDK client's business (it may
    // retry a failed handshake on its own, more often on a loaded machine), so it is not
    // asserted; that sigaudit itself does not retry a TLS failure is (no backoff wait).
    assertThat(firstBytes).isNotEmpty().allMatch(b -> b == 0x16);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void hostsMapDockerHubToItsApiHostAndInsecureHostsToHttp() {
    RegistryHosts hosts = new RegistryHosts(Set.of("Registry.Local:5000"));

    assertThat(hosts.base("docker.io")).isEqualTo(URI.create("https://registry-1.docker.io"));
    assertThat(hosts.base("ghcr.io")).isEqualTo(URI.create("https://ghcr.io"));
    assertThat(hosts.base("registry.local:5000"))
        .isEqualTo(URI.create("http://registry.local:5000"));
    assertThat(hosts.base("registry.local:5001"))
        .isEqualTo(URI.create("https://registry.local:5001"));
    assertThat(hosts.v2(ImageRef.parse("nginx"), "manifests/latest"))
        .isEqualTo(URI.create("https://registry-1.docker.io/v2/library/nginx/manifests/latest"));
  }

  @Test
  void concurrentRequestsToOneRegistryStayWithinItsLimit() throws Exception {
    byte[] content = "c".getBytes(StandardCharsets.UTF_8);
    Digest d = reg.blob("app", content);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    reg.route(
        "/v2/app/blobs/" + d,
        ex -> {
          peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            Thread.sleep(30);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          inFlight.decrementAndGet();
          FakeRegistry.send(ex, 200, content);
        });

    List<Future<byte[]>> results = new ArrayList<>();
    try (RegistryClient c = client(2);
        var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 10; i++) {
        results.add(executor.submit(() -> c.blob(repo, d, 1024)));
      }
      for (Future<byte[]> f : results) {
        assertThat(f.get()).isEqualTo(content);
      }
    }
    assertThat(peak.get()).isBetween(1, 2);
    assertThat(reg.requests()).hasSize(10);
  }
}
