package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.verify.testing.BundleBuilder;
import dev.sigaudit.verify.testing.BundleBuilder.Content;
import dev.sigaudit.verify.testing.BundleBuilder.Material;
import dev.sigaudit.verify.testing.CosignPayloads;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BundleVerifierTest {
  private static final Digest IMAGE = Digests.of("image");
  private static final Digest OTHER = Digests.of("other-image");

  private final BundleVerifier verifier = new BundleVerifier();

  static Stream<TestKey> keys() {
    return Stream.of(
        TestKeys.p256(), TestKeys.p384(), TestKeys.p521(), TestKeys.rsa2048(), TestKeys.ed25519());
  }

  @ParameterizedTest
  @MethodSource("keys")
  void passesCosignV3BundleForEachKeyType(TestKey key) {
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).withTlogEntry().build();

    assertThat(verifier.verify(bundle, IMAGE, key.trustedKey()))
        .isEqualTo(
            new CandidateResult.Passed(IMAGE, key.type().cosignV3Default(), Optional.empty()));
  }

  @Test
  void passesP384BundleSignedWithSha256() {
    TestKey key = TestKeys.p384();
    var bundle =
        BundleBuilder.forImage(IMAGE).signedBy(key).scheme(SignatureScheme.ECDSA_SHA256).build();

    assertThat(verifier.verify(bundle, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "application/vnd.dev.sigstore.bundle+json;version=0.2",
        "application/vnd.dev.sigstore.bundle+json;version=0.3",
        "application/vnd.dev.sigstore.bundle.v0.3+json"
      })
  void acceptsMediaTypesSigstoreGoAccepts(String mediaType) {
    TestKey key = TestKeys.p256();
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).mediaType(mediaType).build();

    assertThat(verifier.verify(bundle, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
  }

  @Test
  void failsUnknownBundleVersion() {
    TestKey key = TestKeys.p256();
    var bundle =
        BundleBuilder.forImage(IMAGE)
            .signedBy(key)
            .mediaType("application/vnd.dev.sigstore.bundle.v0.4+json")
            .build();

    assertThat(failure(bundle, key))
        .isEqualTo(
            "bundle mediaType \"application/vnd.dev.sigstore.bundle.v0.4+json\""
                + " is not a supported Sigstore bundle (v0.1 to v0.3)");
  }

  @Test
  void failsWrongKeyAndPointsOutTheDifferentHint() {
    TestKey signer = TestKeys.p256();
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(signer).build();
    TestKey other = TestKeys.fresh(KeyType.ECDSA_P256);

    assertThat(failure(bundle, other))
        .isEqualTo(
            "signature over the DSSE PAE does not verify with key "
                + other.trustedKey().fingerprint()
                + " (ECDSA P-256; tried SHA256withECDSA); the bundle's key hint is \""
                + signer.bundleHint()
                + "\", this key's is "
                + other.bundleHint());
  }

  @Test
  void failsWrongKeyEvenWhenTheHintClaimsOurKey() {
    TestKey signer = TestKeys.p256();
    TestKey ours = TestKeys.fresh(KeyType.ECDSA_P256);
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(signer).hint(ours.bundleHint()).build();

    assertThat(failure(bundle, ours))
        .startsWith("signature over the DSSE PAE does not verify")
        .doesNotContain("hint");
  }

  @Test
  void passesRegardlessOfAWrongOrMissingHint() {
    TestKey key = TestKeys.ed25519();
    var wrongHint = BundleBuilder.forImage(IMAGE).signedBy(key).hint("bm9wZQ==").build();
    var noHint = BundleBuilder.forImage(IMAGE).signedBy(key).hint(null).build();

    assertThat(verifier.verify(wrongHint, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
    assertThat(verifier.verify(noHint, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
  }

  @Test
  void failsTamperedStatement() {
    TestKey key = TestKeys.p256();
    var bundle =
        BundleBuilder.forImage(OTHER)
            .signedBy(key)
            .tamperedPayload(CosignPayloads.statement(IMAGE))
            .build();

    assertThat(failure(bundle, key)).startsWith("signature over the DSSE PAE does not verify");
  }

  @Test
  void failsCopiedBundleOfAnotherImageNamingBothDigests() {
    TestKey key = TestKeys.p256();
    var copied = BundleBuilder.forImage(OTHER).signedBy(key).build();

    assertThat(failure(copied, key))
        .isEqualTo("statement subject is \"" + OTHER + "\", not " + IMAGE + " (copied signature?)");
  }

  @Test
  void failsSubjectWithOnlyAnotherAlgorithm() {
    TestKey key = TestKeys.p256();
    byte[] statement =
        CosignPayloads.statement(
            CosignPayloads.STATEMENT_V1,
            Map.of("sha512", "ab".repeat(64)),
            CosignPayloads.COSIGN_SIGN_PREDICATE);
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).statement(statement).build();

    assertThat(failure(bundle, key))
        .startsWith("statement subject is \"sha512:abab")
        .endsWith(", not " + IMAGE + " (copied signature?)");
  }

  @Test
  void failsAttestationWithAnotherPredicateType() {
    TestKey key = TestKeys.p256();
    byte[] statement =
        CosignPayloads.statement(
            CosignPayloads.STATEMENT_V1,
            BundleBuilder.sha256Subject(IMAGE),
            "https://slsa.dev/provenance/v1");
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).statement(statement).build();

    assertThat(failure(bundle, key))
        .isEqualTo(
            "statement predicateType is \"https://slsa.dev/provenance/v1\", not"
                + " \"https://sigstore.dev/cosign/sign/v1\" (an attestation, not a signature)");
  }

  @Test
  void anEngineThatTakesAttestationsAsSignaturesPassesOneAndTheVerdictSaysSo() {
    // Kyverno's SigstoreBundle rules and ImageValidatingPolicies accept any predicate by the key
    // whose subject is the digest; sigaudit reports their decision with a note.
    TestKey key = TestKeys.p256();
    byte[] sbom =
        CosignPayloads.statement(
            CosignPayloads.STATEMENT_V1,
            BundleBuilder.sha256Subject(IMAGE),
            "https://cyclonedx.org/bom");
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).statement(sbom).build();
    var kyverno =
        key.trustedKey()
            .withAcceptance(
                dev.sigaudit.model.KeyAcceptance.engine(
                    dev.sigaudit.model.HashAlgorithm.SHA256, true));

    assertThat(verifier.verify(bundle, IMAGE, kyverno))
        .isInstanceOfSatisfying(
            CandidateResult.Passed.class,
            p ->
                assertThat(p.notes())
                    .singleElement()
                    .asString()
                    .contains(
                        "accepted an attestation (predicateType \"https://cyclonedx.org/bom\")"));
    // A signing predicate needs no note; another image's attestation still fails.
    assertThat(verifier.verify(BundleBuilder.forImage(IMAGE).signedBy(key).build(), IMAGE, kyverno))
        .isInstanceOfSatisfying(CandidateResult.Passed.class, p -> assertThat(p.notes()).isEmpty());
    assertThat(verifier.verify(bundle, OTHER, kyverno)).isInstanceOf(CandidateResult.Failed.class);
    // Through the verifier, the note reaches the verdict.
    assertThat(new KeyVerifier().verify(IMAGE, java.util.List.of(bundle), kyverno))
        .isInstanceOfSatisfying(
            dev.sigaudit.model.Verdict.Verified.class, v -> assertThat(v.notes()).hasSize(1));
  }

  @Test
  void failsWrongPayloadType() {
    TestKey key = TestKeys.p256();
    var bundle =
        BundleBuilder.forImage(IMAGE).signedBy(key).payloadType("application/json").build();

    assertThat(failure(bundle, key))
        .isEqualTo(
            "dsseEnvelope payloadType is \"application/json\", not"
                + " \"application/vnd.in-toto+json\"");
  }

  @Test
  void acceptsStatementV01Type() {
    TestKey key = TestKeys.p256();
    byte[] statement =
        CosignPayloads.statement(
            "https://in-toto.io/Statement/v0.1",
            BundleBuilder.sha256Subject(IMAGE),
            CosignPayloads.COSIGN_SIGN_PREDICATE);
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).statement(statement).build();

    assertThat(verifier.verify(bundle, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
  }

  @Test
  void failsUnknownStatementType() {
    TestKey key = TestKeys.p256();
    byte[] statement =
        CosignPayloads.statement(
            "https://example.com/Statement",
            BundleBuilder.sha256Subject(IMAGE),
            CosignPayloads.COSIGN_SIGN_PREDICATE);
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).statement(statement).build();

    assertThat(failure(bundle, key))
        .isEqualTo(
            "statement _type is \"https://example.com/Statement\","
                + " not \"https://in-toto.io/Statement/v1\"");
  }

  @Test
  void failsSignedStatementThatIsNotJson() {
    TestKey key = TestKeys.p256();
    var bundle =
        BundleBuilder.forImage(IMAGE)
            .signedBy(key)
            .statement("not json".getBytes(StandardCharsets.UTF_8))
            .build();

    assertThat(failure(bundle, key)).startsWith("in-toto statement is not valid JSON at offset");
  }

  @Test
  void failsMessageSignatureBundleAsUnsupported() {
    TestKey key = TestKeys.p256();
    var bundle =
        BundleBuilder.forImage(IMAGE).signedBy(key).content(Content.MESSAGE_SIGNATURE).build();

    assertThat(failure(bundle, key))
        .isEqualTo(
            "unsupported bundle content: messageSignature (cosign signs images with a"
                + " dsseEnvelope)");
  }

  @Test
  void failsBundleWithoutDsseEnvelope() {
    TestKey key = TestKeys.p256();
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).content(Content.NONE).build();

    assertThat(failure(bundle, key))
        .isEqualTo("bundle has neither dsseEnvelope nor messageSignature");
  }

  @Test
  void failsKeylessBundlesWithAKeyNamingTheKey() {
    TestKey key = TestKeys.p256();
    var leaf = BundleBuilder.forImage(IMAGE).signedBy(key).material(Material.CERTIFICATE).build();
    var chain =
        BundleBuilder.forImage(IMAGE).signedBy(key).material(Material.CERTIFICATE_CHAIN).build();

    String fingerprint = key.trustedKey().fingerprint();
    assertThat(failure(leaf, key))
        .isEqualTo("bundle is keyless (it has a certificate), not signed with key " + fingerprint);
    assertThat(failure(chain, key))
        .isEqualTo(
            "bundle is keyless (it has a certificate chain), not signed with key " + fingerprint);
  }

  @Test
  void failsBundleWithoutVerificationMaterialContent() {
    TestKey key = TestKeys.p256();
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).material(Material.NONE).build();

    assertThat(failure(bundle, key))
        .isEqualTo(
            "bundle verificationMaterial must hold exactly one of publicKey, certificate,"
                + " x509CertificateChain; found none");
  }

  @Test
  void failsEnvelopeWithTwoSignaturesAsSigstoreGoDoes() {
    TestKey key = TestKeys.p256();
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).signatureCopies(2).build();

    assertThat(failure(bundle, key))
        .isEqualTo("dsseEnvelope has 2 signatures; a Sigstore bundle carries exactly one");
  }

  @Test
  void failsEnvelopeWithoutSignatures() {
    TestKey key = TestKeys.p256();
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).signatureCopies(0).build();

    assertThat(failure(bundle, key))
        .isEqualTo("dsseEnvelope has 0 signatures; a Sigstore bundle carries exactly one");
  }

  @Test
  void failsMalformedBase64Signature() {
    var bundle = BundleBuilder.forImage(IMAGE).signatures("%%%").build();

    assertThat(failure(bundle, TestKeys.p256()))
        .startsWith("dsseEnvelope.signatures[0].sig is not valid base64 (");
  }

  @Test
  void acceptsUrlSafeUnpaddedBase64AsProtobufJsonDoes() throws Exception {
    TestKey key = TestKeys.p256();
    ObjectMapper json = new ObjectMapper();
    String sig;
    ObjectNode root;
    do { // until the signature actually uses the URL-safe alphabet
      root = (ObjectNode) json.readTree(BundleBuilder.forImage(IMAGE).signedBy(key).json());
      sig = root.at("/dsseEnvelope/signatures/0/sig").asText();
    } while (!urlSafe(sig).contains("-") && !urlSafe(sig).contains("_"));
    ObjectNode envelope = (ObjectNode) root.get("dsseEnvelope");
    envelope.put("payload", urlSafe(envelope.get("payload").asText()));
    ((ObjectNode) envelope.get("signatures").get(0)).put("sig", urlSafe(sig));
    var bundle =
        new SignatureCandidate.Bundle(
            Digests.of("m"), json.writeValueAsBytes(root), SignatureFormat.BUNDLE_REFERRER);

    assertThat(verifier.verify(bundle, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
  }

  private static String urlSafe(String standard) {
    return standard.replace('+', '-').replace('/', '_').replace("=", "");
  }

  @Test
  void failsMalformedBundleJson() {
    var bundle =
        new SignatureCandidate.Bundle(
            Digests.of("m"),
            "{\"mediaType\":".getBytes(StandardCharsets.UTF_8),
            SignatureFormat.BUNDLE_REFERRER);

    assertThat(failure(bundle, TestKeys.p256())).startsWith("bundle is not valid JSON at offset");
  }

  @Test
  void failsOversizeBundle() {
    byte[] huge = new byte[SigstoreBundle.MAX_BYTES + 1];
    var bundle =
        new SignatureCandidate.Bundle(Digests.of("m"), huge, SignatureFormat.BUNDLE_REFERRER);

    assertThat(failure(bundle, TestKeys.p256()))
        .isEqualTo("bundle is 4194305 bytes, more than the 4194304 allowed");
  }

  @Test
  void failsDeeplyNestedJsonWithoutStackOverflow() {
    String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
    var bundle =
        new SignatureCandidate.Bundle(
            Digests.of("m"),
            deep.getBytes(StandardCharsets.UTF_8),
            SignatureFormat.BUNDLE_REFERRER);

    assertThat(failure(bundle, TestKeys.p256())).startsWith("bundle is not valid JSON");
  }

  @Test
  void signatureOverPlainStatementInsteadOfPaeFails() {
    TestKey key = TestKeys.p256();
    byte[] statement = CosignPayloads.statement(IMAGE);
    String sig = Base64.getEncoder().encodeToString(key.sign(statement));
    var bundle = BundleBuilder.forImage(IMAGE).signatures(sig).build();

    assertThat(failure(bundle, key)).startsWith("signature over the DSSE PAE does not verify");
  }

  private String failure(SignatureCandidate.Bundle bundle, TestKey key) {
    CandidateResult result = verifier.verify(bundle, IMAGE, key.trustedKey());
    assertThat(result).isInstanceOf(CandidateResult.Failed.class);
    return ((CandidateResult.Failed) result).reason();
  }
}
