package dev.sigaudit.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.registry.RegistryClient;
import dev.sigaudit.registry.RegistryException.Kind;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.Oci;
import dev.sigaudit.testing.Responses;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignatureDiscoveryTest {
  private static final String SLSA = "https://slsa.dev/provenance/v1";

  private final FakeRegistry reg = new FakeRegistry();
  private final RegistryClient client =
      RegistryClient.builder()
          .insecureRegistries(Set.of(reg.host()))
          .sleeper(new FakeSleeper())
          .build();
  private final SignatureDiscovery discovery = new SignatureDiscovery(client);
  private final ImageRef repo = ImageRef.parse(reg.host() + "/app");
  private final Digest image = Digest.sha256(bytes("the image manifest"));
  private final String referrersPath = "/v2/app/referrers/" + image;

  @AfterEach
  void close() {
    client.close();
    reg.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] payload(String n) {
    return bytes(
        "{\"critical\":{\"type\":\"cosign container image signature\"},\"n\":\"" + n + "\"}");
  }

  private Map<String, Object> sigLayer(String repoName, byte[] payload, Map<String, String> ann) {
    reg.blob(repoName, payload);
    return Oci.with(Oci.descriptor(Oci.SIMPLESIGNING, payload), "annotations", ann);
  }

  /** Stores a .sig manifest with the given layers; returns its digest. */
  @SafeVarargs
  private final Digest storeSig(String repoName, Map<String, Object>... layers) {
    Oci.Builder b = Oci.manifest().config(Oci.descriptor(Oci.EMPTY, bytes("{}")));
    for (Map<String, Object> l : layers) {
      b.add(l);
    }
    byte[] m = b.build();
    reg.manifest(repoName, image.tagForm() + ".sig", Oci.MANIFEST, m);
    return Digest.sha256(m);
  }

  /** Stores a bundle referrer manifest (by digest) and its bundle blob; returns the manifest. */
  private Digest storeBundle(String repoName, String bundleJson, Digest subject, String predicate) {
    byte[] bundle = bytes(bundleJson);
    reg.blob(repoName, bundle);
    Map<String, String> ann = new LinkedHashMap<>();
    ann.put("dev.sigstore.bundle.content", "dsse-envelope");
    ann.put(CosignFormats.PREDICATE_TYPE_ANNOTATION, predicate);
    byte[] m =
        Oci.manifest()
            .artifactType(Oci.BUNDLE)
            .config(Oci.descriptor(Oci.EMPTY, bytes("{}")))
            .add(Oci.descriptor(Oci.BUNDLE, bundle))
            .subject(subject)
            .annotations(ann)
            .build();
    return reg.manifest(repoName, Oci.MANIFEST, m);
  }

  private Map<String, Object> entry(Digest manifest, String artifactType, String predicate) {
    Map<String, Object> d =
        Oci.with(Oci.descriptor(Oci.MANIFEST, manifest, 500), "artifactType", artifactType);
    return predicate == null
        ? d
        : Oci.with(d, "annotations", Map.of(CosignFormats.PREDICATE_TYPE_ANNOTATION, predicate));
  }

  @SafeVarargs
  private final void referrersApi(Map<String, Object>... entries) {
    Oci.Builder b = Oci.index();
    for (Map<String, Object> e : entries) {
      b.add(e);
    }
    byte[] body = b.build();
    reg.route(
        referrersPath,
        ex -> {
          ex.getResponseHeaders().add("Content-Type", Oci.INDEX);
          FakeRegistry.send(ex, 200, body);
        });
  }

  @SafeVarargs
  private final void fallbackIndex(String repoName, Map<String, Object>... entries) {
    Oci.Builder b = Oci.index();
    for (Map<String, Object> e : entries) {
      b.add(e);
    }
    reg.manifest(repoName, image.tagForm(), Oci.INDEX, b.build());
  }

  @Test
  void unsignedImageOnDistributionIsEmptyAfterThreeRequests() {
    Discovery d = discovery.discover(repo, image);

    assertThat(d)
        .isInstanceOfSatisfying(Discovery.Found.class, f -> assertThat(f.unsigned()).isTrue());
    assertThat(d.notes()).isEmpty();
    assertThat(reg.requests())
        .extracting(FakeRegistry.Recorded::path)
        .containsExactly(
            referrersPath,
            "/v2/app/manifests/" + image.tagForm(),
            "/v2/app/manifests/" + image.tagForm() + ".sig");
  }

  @Test
  void legacySigManifestWithTwoLayersGivesTwoCandidates() {
    Digest sig =
        storeSig(
            "app",
            sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "MEUCIQ==")),
            sigLayer(
                "app",
                payload("2"),
                Map.of(
                    CosignFormats.SIGNATURE_ANNOTATION, "MEQCIA==",
                    CosignFormats.CERTIFICATE_ANNOTATION, "-----BEGIN CERTIFICATE-----",
                    CosignFormats.CHAIN_ANNOTATION, "-----BEGIN CERTIFICATE----- chain",
                    CosignFormats.REKOR_BUNDLE_ANNOTATION, "{\"SignedEntryTimestamp\":\"x\"}",
                    CosignFormats.RFC3161_ANNOTATION, "{\"SignedRFC3161Timestamp\":\"y\"}")));

    Discovery d = discovery.discover(repo, image);

    assertThat(d).isInstanceOf(Discovery.Found.class);
    assertThat(d.candidates())
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.format()).isEqualTo(SignatureFormat.LEGACY_TAG);
              assertThat(c.sourceManifest()).isEqualTo(sig);
            });
    var first = (SignatureCandidate.Legacy) d.candidates().get(0);
    assertThat(first.payload()).isEqualTo(payload("1"));
    assertThat(first.signatureBase64()).isEqualTo("MEUCIQ==");
    assertThat(first.certificatePem()).isEmpty();
    var second = (SignatureCandidate.Legacy) d.candidates().get(1);
    assertThat(second.payload()).isEqualTo(payload("2"));
    assertThat(second.certificatePem()).contains("-----BEGIN CERTIFICATE-----");
    assertThat(second.chainPem()).contains("-----BEGIN CERTIFICATE----- chain");
    assertThat(second.rekorBundle()).contains("{\"SignedEntryTimestamp\":\"x\"}");
    assertThat(second.rfc3161Timestamp()).contains("{\"SignedRFC3161Timestamp\":\"y\"}");
  }

  @Test
  void layerWithoutASignatureAnnotationIsSkippedWithANote() {
    storeSig(
        "app",
        sigLayer("app", payload("1"), Map.of("other", "x")),
        sigLayer("app", payload("2"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "MEQ=")));

    Discovery d = discovery.discover(repo, image);

    assertThat(d.candidates()).hasSize(1);
    assertThat(d.notes())
        .containsExactly(
            repo.name()
                + ":"
                + image.tagForm()
                + ".sig layer 0 has no dev.cosignproject.cosign/signature annotation; skipped");
  }

  @Test
  void layersBeyondTheCapAreNotRead() {
    storeSig(
        "app",
        sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")),
        sigLayer("app", payload("2"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "B=")),
        sigLayer("app", payload("3"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "C=")));

    Discovery d =
        new SignatureDiscovery(client, new DiscoveryLimits(2, 1024)).discover(repo, image);

    assertThat(d.candidates()).hasSize(2);
    assertThat(d.notes())
        .containsExactly(
            repo.name() + ":" + image.tagForm() + ".sig has 3 layers; only the first 2 were read");
    assertThat(reg.requests("/blobs/")).hasSize(2);
  }

  @Test
  void missingPayloadBlobIsNotedNotFatal() {
    byte[] gone = payload("gone");
    storeSig(
        "app",
        Oci.with(
            Oci.descriptor(Oci.SIMPLESIGNING, gone),
            "annotations",
            Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    Discovery d = discovery.discover(repo, image);

    assertThat(d).isInstanceOf(Discovery.Found.class);
    assertThat(d.candidates()).isEmpty();
    assertThat(d.notes()).singleElement().asString().endsWith("is missing; skipped");
  }

  @Test
  void bundleIsFoundThroughTheFallbackTagWhenTheReferrersApiAnswersPlainText404() {
    Digest bundle =
        storeBundle("app", "{\"mediaType\":\"bundle\"}", image, CosignFormats.SIGN_PREDICATE);
    Digest sbom = Digest.sha256(bytes("an sbom manifest, never fetched"));
    // Cosign's fallback index entries carry artifactType but no annotations.
    fallbackIndex(
        "app", entry(bundle, Oci.BUNDLE, null), entry(sbom, "application/spdx+json", null));

    Discovery d = discovery.discover(repo, image);

    assertThat(d).isInstanceOf(Discovery.Found.class);
    assertThat(d.candidates())
        .singleElement()
        .isInstanceOfSatisfying(
            SignatureCandidate.Bundle.class,
            b -> {
              assertThat(b.format()).isEqualTo(SignatureFormat.BUNDLE_FALLBACK_TAG);
              assertThat(b.sourceManifest()).isEqualTo(bundle);
              assertThat(b.bundleJson()).isEqualTo(bytes("{\"mediaType\":\"bundle\"}"));
            });
    assertThat(reg.requests("/manifests/" + sbom)).isEmpty();
  }

  @Test
  void attestationBundlesBehindTheFallbackTagAreCandidates() {
    // Whether an attestation counts is the policy's reading (Kyverno's bundle rules accept one, an
    // ImageValidatingPolicy stops reading .sig once any bundle exists), so discovery keeps it.
    Digest attestation = storeBundle("app", "{\"att\":1}", image, SLSA);
    fallbackIndex("app", entry(attestation, Oci.BUNDLE, null));

    Discovery d = discovery.discover(repo, image);

    assertThat(d.candidates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.format()).isEqualTo(SignatureFormat.BUNDLE_FALLBACK_TAG);
              assertThat(c.sourceManifest()).isEqualTo(attestation);
            });
    assertThat(d.notes()).isEmpty();
  }

  @Test
  void referrersApiAnswerIsFilteredByArtifactTypeWithoutFetchingTheRest() {
    Digest signature = storeBundle("app", "{\"sig\":1}", image, CosignFormats.SIGN_PREDICATE);
    Digest attestation = storeBundle("app", "{\"att\":1}", image, SLSA);
    Digest sbom = Digest.sha256(bytes("sbom"));
    referrersApi(
        entry(signature, Oci.BUNDLE, CosignFormats.SIGN_PREDICATE),
        entry(attestation, Oci.BUNDLE, SLSA),
        entry(sbom, "application/spdx+json", null));

    Discovery d = discovery.discover(repo, image);

    assertThat(d.candidates())
        .extracting(SignatureCandidate::sourceManifest)
        .containsExactlyInAnyOrder(signature, attestation);
    assertThat(d.candidates())
        .allSatisfy(c -> assertThat(c.format()).isEqualTo(SignatureFormat.BUNDLE_REFERRER));
    assertThat(reg.requests("/manifests/" + sbom)).isEmpty();
    assertThat(reg.requests("/manifests/" + image.tagForm())).hasSize(1); // only the .sig lookup
  }

  @Test
  void referrerNamingAnotherSubjectIsSkippedWithANote() {
    Digest other = Digest.sha256(bytes("another image"));
    Digest copied = storeBundle("app", "{\"sig\":1}", other, CosignFormats.SIGN_PREDICATE);
    referrersApi(entry(copied, Oci.BUNDLE, null));

    Discovery d = discovery.discover(repo, image);

    assertThat(d.candidates()).isEmpty();
    assertThat(d.notes())
        .containsExactly(
            "referrer " + copied + " has subject " + other + ", not " + image + "; skipped");
  }

  @Test
  void unauthorizedSigLookupIsAFailureNotAnUnsignedImage() {
    reg.route(
        "/v2/app/manifests/" + image.tagForm() + ".sig",
        ex ->
            FakeRegistry.sendJson(
                ex, 401, Responses.error("UNAUTHORIZED", "authentication required")));

    Discovery d = discovery.discover(repo, image);

    assertThat(d)
        .isInstanceOfSatisfying(
            Discovery.Failed.class,
            f -> {
              assertThat(f.kind()).contains(Kind.UNAUTHORIZED);
              assertThat(f.cause())
                  .isEqualTo(
                      "fetching manifest "
                          + repo.name()
                          + ":"
                          + image.tagForm()
                          + ".sig failed: 401 Unauthorized (UNAUTHORIZED: authentication required)"
                          + " [no credentials configured for "
                          + reg.host()
                          + "]");
            });
  }

  @Test
  void referrersServerErrorFailsTheDiscoveryButKeepsLegacyCandidates() {
    reg.route(referrersPath, ex -> FakeRegistry.sendText(ex, 500, "oops"));
    storeSig(
        "app", sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    Discovery d = discovery.discover(repo, image);

    assertThat(d)
        .isInstanceOfSatisfying(
            Discovery.Failed.class,
            f -> {
              assertThat(f.kind()).contains(Kind.SERVER_ERROR);
              assertThat(f.cause())
                  .isEqualTo(
                      "listing referrers of "
                          + repo.name()
                          + "@"
                          + image
                          + " failed: 500 Internal Server Error (oops); gave up after 4 attempts");
            });
    assertThat(d.candidates())
        .singleElement()
        .extracting(SignatureCandidate::format)
        .isEqualTo(SignatureFormat.LEGACY_TAG);
  }

  @Test
  void bothFormatsAreCollectedBundlesFirst() {
    Digest bundle = storeBundle("app", "{\"sig\":1}", image, CosignFormats.SIGN_PREDICATE);
    fallbackIndex("app", entry(bundle, Oci.BUNDLE, null));
    storeSig(
        "app", sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    Discovery d = discovery.discover(repo, image);

    assertThat(d.candidates())
        .extracting(SignatureCandidate::format)
        .containsExactly(SignatureFormat.BUNDLE_FALLBACK_TAG, SignatureFormat.LEGACY_TAG);
  }

  @Test
  void theLegacyLookupIsSkippedWhenTheCallerSaysTheBundlesSuffice() {
    Digest bundle = storeBundle("app", "{\"sig\":1}", image, CosignFormats.SIGN_PREDICATE);
    fallbackIndex("app", entry(bundle, Oci.BUNDLE, null));
    storeSig(
        "app", sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    Discovery d = discovery.discover(repo, image, bundles -> bundles.size() == 1);

    assertThat(d.candidates())
        .extracting(SignatureCandidate::format)
        .containsExactly(SignatureFormat.BUNDLE_FALLBACK_TAG);
    assertThat(reg.requests(".sig")).isEmpty();
  }

  @Test
  void theLegacyLookupStillHappensWhenTheBundlesDoNotSuffice() {
    Digest bundle = storeBundle("app", "{\"sig\":1}", image, CosignFormats.SIGN_PREDICATE);
    fallbackIndex("app", entry(bundle, Oci.BUNDLE, null));

    Discovery d = discovery.discover(repo, image, bundles -> false);

    assertThat(d).isInstanceOf(Discovery.Found.class);
    assertThat(reg.requests(".sig")).hasSize(1);
  }

  @Test
  void signaturesAreReadFromASeparateSignatureRepository() {
    Digest bundle = storeBundle("sigs/app", "{\"sig\":1}", image, CosignFormats.SIGN_PREDICATE);
    fallbackIndex("sigs/app", entry(bundle, Oci.BUNDLE, null));

    Discovery d = discovery.discover(ImageRef.parse(reg.host() + "/sigs/app"), image);

    assertThat(d.candidates()).hasSize(1);
    assertThat(reg.requests()).allSatisfy(r -> assertThat(r.path()).startsWith("/v2/sigs/app/"));
  }

  @Test
  void fallbackTagHoldingAnImageManifestIsIgnoredWithANote() {
    reg.manifest("app", image.tagForm(), Oci.MANIFEST, Oci.manifest().build());

    Discovery d = discovery.discover(repo, image);

    assertThat(d).isInstanceOf(Discovery.Found.class);
    assertThat(d.notes())
        .containsExactly(repo.name() + ":" + image.tagForm() + " is not an index; ignored");
  }

  @Test
  void referrerListedButDeletedIsNotedNotFatal() {
    Digest gone = Digest.sha256(bytes("garbage-collected"));
    referrersApi(entry(gone, Oci.BUNDLE, null));

    Discovery d = discovery.discover(repo, image);

    assertThat(d).isInstanceOf(Discovery.Found.class);
    assertThat(d.notes()).containsExactly("referrer " + gone + " is listed but missing; skipped");
  }

  @Test
  void tamperedReferrerManifestFailsTheDiscovery() {
    Digest claimed = Digest.sha256(bytes("what the index promised"));
    reg.manifest("app", claimed.toString(), Oci.MANIFEST, Oci.manifest().build());
    referrersApi(entry(claimed, Oci.BUNDLE, null));

    Discovery d = discovery.discover(repo, image);

    assertThat(d)
        .isInstanceOfSatisfying(
            Discovery.Failed.class, f -> assertThat(f.kind()).contains(Kind.INVALID_RESPONSE));
  }

  // Both routes at once (Order.TOGETHER): the same answers as bundles-first, whatever the timing.

  private Discovery together(java.util.function.Predicate<java.util.List<SignatureCandidate>> ok) {
    return discovery.discover(repo, image, ok, SignatureDiscovery.Order.TOGETHER);
  }

  @Test
  void togetherAnUnsignedImageIsEmptyAfterTheSameThreeRequests() {
    Discovery d = together(b -> false);

    assertThat(d)
        .isInstanceOfSatisfying(Discovery.Found.class, f -> assertThat(f.unsigned()).isTrue());
    assertThat(((Discovery.Found) d).state().tokens())
        .containsOnlyKeys(SignatureRoute.REFERRERS, SignatureRoute.LEGACY_TAG);
    assertThat(reg.requests())
        .extracting(FakeRegistry.Recorded::path)
        .containsExactlyInAnyOrder(
            referrersPath,
            "/v2/app/manifests/" + image.tagForm(),
            "/v2/app/manifests/" + image.tagForm() + ".sig");
  }

  @Test
  void togetherBothFormatsAreCollectedBundlesFirst() {
    Digest bundle = storeBundle("app", "{\"sig\":1}", image, CosignFormats.SIGN_PREDICATE);
    fallbackIndex("app", entry(bundle, Oci.BUNDLE, null));
    storeSig(
        "app", sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    Discovery d = together(b -> false);

    assertThat(d.candidates())
        .extracting(SignatureCandidate::format)
        .containsExactly(SignatureFormat.BUNDLE_FALLBACK_TAG, SignatureFormat.LEGACY_TAG);
  }

  @Test
  void togetherWhenTheBundlesSufficeTheSigRouteIsLeftOutOfTheAnswer() {
    Digest bundle = storeBundle("app", "{\"sig\":1}", image, CosignFormats.SIGN_PREDICATE);
    fallbackIndex("app", entry(bundle, Oci.BUNDLE, null));
    storeSig(
        "app", sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    Discovery d = together(bundles -> bundles.size() == 1);

    // As with bundles first: the .sig route is no part of the answer, nor of the state the cache
    // compares next time.
    assertThat(d.candidates())
        .extracting(SignatureCandidate::format)
        .containsExactly(SignatureFormat.BUNDLE_FALLBACK_TAG);
    assertThat(((Discovery.Found) d).state().tokens()).containsOnlyKeys(SignatureRoute.REFERRERS);
  }

  @Test
  void togetherAFailedBundleRouteKeepsTheLegacyCandidates() {
    reg.route(referrersPath, ex -> FakeRegistry.sendText(ex, 500, "oops"));
    storeSig(
        "app", sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    Discovery d = together(b -> true);

    assertThat(d)
        .isInstanceOfSatisfying(
            Discovery.Failed.class, f -> assertThat(f.kind()).contains(Kind.SERVER_ERROR));
    assertThat(d.candidates())
        .singleElement()
        .extracting(SignatureCandidate::format)
        .isEqualTo(SignatureFormat.LEGACY_TAG);
  }

  @Test
  void togetherAFailedSigRouteIsAFailureNotAnUnsignedImage() {
    reg.route(
        "/v2/app/manifests/" + image.tagForm() + ".sig",
        ex -> FakeRegistry.sendJson(ex, 403, Responses.error("DENIED", "no")));

    Discovery d = together(b -> false);

    assertThat(d)
        .isInstanceOfSatisfying(
            Discovery.Failed.class, f -> assertThat(f.kind()).contains(Kind.DENIED));
  }

  @Test
  void theStateOfBothRoutesIsReadInOneGo() throws Exception {
    storeSig(
        "app", sigLayer("app", payload("1"), Map.of(CosignFormats.SIGNATURE_ANNOTATION, "A=")));

    SignatureState s =
        discovery.state(
            repo, image, java.util.EnumSet.of(SignatureRoute.REFERRERS, SignatureRoute.LEGACY_TAG));

    assertThat(s.token(SignatureRoute.REFERRERS)).contains(SignatureState.ABSENT);
    assertThat(s.token(SignatureRoute.LEGACY_TAG).orElseThrow()).startsWith("sig:sha256:");
    assertThat(reg.requests("/blobs/")).isEmpty();
  }
}
