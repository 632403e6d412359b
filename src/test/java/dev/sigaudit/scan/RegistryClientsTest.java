package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.registry.Endpoint;
import dev.sigaudit.registry.RegistryClient;
import dev.sigaudit.registry.RegistryListener;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.Oci;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
    clients.state(
        repo,
        d,
        "",
        Set.of(dev.sigaudit.signature.SignatureRoute.LEGACY_TAG),
        new SignatureState(Map.of())); // 1

    assertThat(clients.roundTrips().digests()).isEqualTo(new TreeMap<>(Map.of(3, 1L)));
  }

  /** What a scan of {@code digest} saw when nothing signed it. */
  private static final SignatureState UNSIGNED =
      new SignatureState(
          Map.of(
              SignatureRoute.REFERRERS, SignatureState.ABSENT,
              SignatureRoute.LEGACY_TAG, SignatureState.ABSENT));

  private static final Set<SignatureRoute> BOTH = EnumSet.allOf(SignatureRoute.class);

  /** {@code count} images pushed to {@code repo} (under their digests), unsigned. */
  private List<Digest> images(String repo, int count) {
    List<Digest> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          reg.manifest(
              repo,
              Oci.MANIFEST,
              Oci.manifest()
                  .config(Oci.descriptor(Oci.EMPTY, bytes("{\"n\":" + i + "}")))
                  .build()));
    }
    reg.manifest(repo, "latest", Oci.MANIFEST, bytes("{}")); // tags the signatures are not
    return out;
  }

  private List<FakeRegistry.Recorded> heads() {
    return reg.requests().stream().filter(r -> r.method().equals("HEAD")).toList();
  }

  @Test
  void unchangedUnsignedDigestsOfARepositoryCostOneTagListWarm() {
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    List<Digest> digests = images("app", 5);

    for (Digest d : digests) {
      assertThat(clients.state(repo, d, "", BOTH, UNSIGNED)).contains(UNSIGNED);
    }

    assertThat(reg.requests("/tags/list")).hasSize(1);
    assertThat(heads()).isEmpty();
    // and the referrers API, once for the registry
    assertThat(clients.requests()).isEqualTo(2);
  }

  @Test
  void aSignatureAddedSinceTheCacheWasWrittenIsStillFound() {
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    List<Digest> digests = images("app", 3);
    Digest signedLater = digests.get(1);
    byte[] sig = Oci.manifest().config(Oci.descriptor(Oci.EMPTY, bytes("{}"))).build();
    reg.manifest("app", signedLater.tagForm() + ".sig", Oci.MANIFEST, sig);

    Map<Digest, SignatureState> now = new java.util.HashMap<>();
    for (Digest d : digests) {
      now.put(d, clients.state(repo, d, "", BOTH, UNSIGNED).orElseThrow());
    }

    assertThat(now.get(signedLater).token(SignatureRoute.LEGACY_TAG))
        .contains("sig:" + Digest.sha256(sig));
    assertThat(now.get(digests.get(0))).isEqualTo(UNSIGNED);
    assertThat(now.get(digests.get(2))).isEqualTo(UNSIGNED);
    // the listed tag is read; nothing else
    assertThat(heads())
        .extracting(FakeRegistry.Recorded::path)
        .containsExactly("/v2/app/manifests/" + signedLater.tagForm() + ".sig");
  }

  @Test
  void withoutATagListEveryTagIsAskedForAsBefore() {
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    List<Digest> digests = images("app", 3);
    reg.route("/v2/app/tags/list", ex -> FakeRegistry.sendText(ex, 401, "no listing"));

    for (Digest d : digests) {
      assertThat(clients.state(repo, d, "", BOTH, UNSIGNED)).contains(UNSIGNED);
    }

    assertThat(reg.requests("/tags/list")).hasSize(1);
    assertThat(heads()).hasSize(2 * digests.size());
  }

  @Test
  void aTagPresentBeforeIsReadWithoutTheList() {
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    Digest d = images("app", 1).get(0);
    byte[] sig = Oci.manifest().config(Oci.descriptor(Oci.EMPTY, bytes("{}"))).build();
    reg.manifest("app", d.tagForm() + ".sig", Oci.MANIFEST, sig);
    SignatureState signed =
        new SignatureState(Map.of(SignatureRoute.LEGACY_TAG, "sig:" + Digest.sha256(sig)));

    assertThat(clients.state(repo, d, "", Set.of(SignatureRoute.LEGACY_TAG), signed))
        .contains(signed);

    assertThat(reg.requests("/tags/list")).isEmpty();
    assertThat(clients.requests()).isEqualTo(1);
  }

  @Test
  void aDigestThatWaitedForAnotherLookupsTagListCountsItsRoundTrip() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    RegistryClients observed =
        new RegistryClients(
            CredentialScopes.shared(CredentialProvider.anonymous()),
            (credentials, listener) ->
                RegistryClient.builder()
                    .insecureRegistries(Set.of(reg.host()))
                    .sleeper(new FakeSleeper())
                    .listener(
                        new RegistryListener() {
                          @Override
                          public void onResponse(String registry, Endpoint endpoint, int status) {
                            listener.onResponse(registry, endpoint, status);
                          }

                          @Override
                          public void onAwaited(String registry, Endpoint endpoint) {
                            listener.onAwaited(registry, endpoint);
                            waiting.countDown();
                          }
                        })
                    .build());
    ImageRef repo = ImageRef.parse(reg.host() + "/app");
    List<Digest> digests = images("app", 2);
    Set<SignatureRoute> sig = Set.of(SignatureRoute.LEGACY_TAG); // one list read per lookup
    // The list of "app" answers only once the second lookup waits for it.
    reg.route(
        "/v2/app/tags/list",
        ex -> {
          boolean met = false;
          try {
            met = waiting.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          FakeRegistry.sendJson(ex, met ? 200 : 500, "{\"name\":\"app\",\"tags\":[\"latest\"]}");
        });

    Thread a =
        Thread.ofVirtual().start(() -> observed.state(repo, digests.get(0), "", sig, UNSIGNED));
    Thread b =
        Thread.ofVirtual().start(() -> observed.state(repo, digests.get(1), "", sig, UNSIGNED));
    a.join();
    b.join();

    try (observed) {
      assertThat(reg.requests("/v2/app/tags/list")).hasSize(1);
      assertThat(heads()).isEmpty();
      // Each digest of "app" waited for the one list: one round trip each, one request in all.
      assertThat(observed.roundTrips().digests()).isEqualTo(new TreeMap<>(Map.of(1, 2L)));
      assertThat(observed.requests()).isEqualTo(1);
    }
  }
}
