package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.registry.RegistryClient;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.Oci;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which requests a lookup sends and how many of them it waits for in a row. Concurrency is forced
 * by the fake registry (requests that must be in flight together wait for each other), never
 * inferred from timing.
 */
class RegistryClientsTest {
  private final FakeRegistry reg = new FakeRegistry();
  private final RegistryClients clients =
      new RegistryClients(
          CredentialScopes.shared(CredentialProvider.anonymous()),
          (credentials, listener) ->
              RegistryClient.builder()
                  .insecureRegistries(Set.of(reg.host()))
                  .credentials(credentials)
                  .listener(listener)
                  .sleeper(new FakeSleeper())
                  .build());

  @AfterEach
  void close() {
    clients.close();
    reg.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Digest image(String name) {
    return Digest.sha256(bytes(name));
  }

  /** A cosign v3 bundle for {@code subject} behind the fallback tag of {@code repo}. */
  private void bundleBehindTheFallbackTag(String repo, Digest subject) {
    byte[] bundle = bytes("{\"bundle of\":\"" + subject + "\"}");
    reg.blob(repo, bundle);
    byte[] m =
        Oci.manifest()
            .artifactType(Oci.BUNDLE)
            .config(Oci.descriptor(Oci.EMPTY, bytes("{}")))
            .add(Oci.descriptor(Oci.BUNDLE, bundle))
            .subject(subject)
            .build();
    Digest referrer = reg.manifest(repo, Oci.MANIFEST, m);
    byte[] index =
        Oci.index()
            .add(
                Oci.with(
                    Oci.descriptor(Oci.MANIFEST, referrer, m.length), "artifactType", Oci.BUNDLE))
            .build();
    reg.manifest(repo, subject.tagForm(), Oci.INDEX, index);
  }

  /** The fallback tag and the .sig tag of {@code digest} answer 404 only once both were asked. */
  private void bothTagsMustBeInFlightTogether(String repo, Digest digest) {
    CountDownLatch both = new CountDownLatch(2);
    FakeRegistry.Route together =
        ex -> {
          both.countDown();
          boolean met = false;
          try {
            met = both.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          // Sequential requests would only get here after 30 s, and the test says so.
          FakeRegistry.sendText(ex, 404, met ? "not found" : "asked one after the other");
        };
    reg.route("/v2/" + repo + "/manifests/" + digest.tagForm(), together);
    reg.route("/v2/" + repo + "/manifests/" + digest.tagForm() + ".sig", together);
  }

  @Test
  void anUnsignedDigestWaitsForOneRoundTripWhenTheRegistryIsKnownToLackTheReferrersApi() {
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    Digest first = image("first");
    Digest second = image("second");
    bothTagsMustBeInFlightTogether("app", first);
    bothTagsMustBeInFlightTogether("app", second);

    Discovery a = clients.find(repo, first, "", bundles -> false);
    Discovery b = clients.find(repo, second, "", bundles -> false);

    assertThat(a)
        .isInstanceOfSatisfying(Discovery.Found.class, f -> assertThat(f.unsigned()).isTrue());
    assertThat(b)
        .isInstanceOfSatisfying(Discovery.Found.class, f -> assertThat(f.unsigned()).isTrue());
    // first: the referrers API (404, remembered), then both tags at once; second: both tags only.
    assertThat(clients.roundTrips().digests()).isEqualTo(new TreeMap<>(Map.of(1, 1L, 2, 1L)));
    assertThat(clients.requests()).isEqualTo(5);
  }

  @Test
  void inARepositoryWhoseBundlesSettledTheLastDigestTheSigTagIsAskedOnlyIfTheyDoNot() {
    ImageRef repo = ImageRef.parse(reg.host() + "/bundled");
    Digest first = image("first");
    Digest second = image("second");
    bundleBehindTheFallbackTag("bundled", first);
    bundleBehindTheFallbackTag("bundled", second);

    clients.find(repo, first, "", bundles -> true);
    Discovery d = clients.find(repo, second, "", bundles -> true);

    assertThat(d.candidates()).hasSize(1);
    assertThat(reg.requests("/manifests/" + second.tagForm() + ".sig")).isEmpty();
    // referrers (remembered) → fallback index → referrer manifest → bundle blob
    assertThat(clients.roundTrips().digests().get(3)).isEqualTo(1L);
  }

  @Test
  void theStateCheckAndTheLookupOfOneDigestAddUp() {
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    Digest d = image("d");
    bothTagsMustBeInFlightTogether("app", d);

    clients.find(repo, d, "", bundles -> false); // referrers 404, then both tags: 2
    reg.route("/v2/app/manifests/" + d.tagForm(), ex -> FakeRegistry.sendText(ex, 404, "no"));
    reg.route(
        "/v2/app/manifests/" + d.tagForm() + ".sig", ex -> FakeRegistry.sendText(ex, 404, "no"));
    clients.state(repo, d, "", Set.of(dev.sigaudit.signature.SignatureRoute.LEGACY_TAG)); // 1

    assertThat(clients.roundTrips().digests()).isEqualTo(new TreeMap<>(Map.of(3, 1L)));
  }
}
