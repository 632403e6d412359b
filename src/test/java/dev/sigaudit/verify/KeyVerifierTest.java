package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.verify.testing.BundleBuilder;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.LegacySignatureBuilder;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyVerifierTest {
  private static final Digest IMAGE = Digests.of("image");
  private static final Digest OTHER = Digests.of("other-image");
  private static final Digest SIG_MANIFEST = Digests.of("sig-manifest");
  private static final Digest BUNDLE_MANIFEST = Digests.of("bundle-manifest");

  private final KeyVerifier verifier = new KeyVerifier();
  private final TestKey key = TestKeys.p256();

  @Test
  void noCandidatesIsUnsigned() {
    assertThat(verifier.verify(IMAGE, List.of(), key.trustedKey()))
        .isEqualTo(new Verdict.Unsigned());
  }

  @Test
  void validLegacySignatureIsVerifiedByTheKey() {
    var legacy = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).build();

    assertThat(verifier.verify(IMAGE, List.of(legacy), key.trustedKey()))
        .isEqualTo(
            new Verdict.Verified(
                SignatureFormat.LEGACY_TAG, Signer.key(key.trustedKey().fingerprint()), IMAGE));
  }

  @Test
  void validBundleIsVerifiedWithTheCandidatesFormat() {
    var bundle =
        BundleBuilder.forImage(IMAGE)
            .signedBy(key)
            .format(SignatureFormat.BUNDLE_FALLBACK_TAG)
            .build();

    assertThat(verifier.verify(IMAGE, List.of(bundle), key.trustedKey()))
        .isEqualTo(
            new Verdict.Verified(
                SignatureFormat.BUNDLE_FALLBACK_TAG,
                Signer.key(key.trustedKey().fingerprint()),
                IMAGE));
  }

  @Test
  void oneValidCandidateAmongInvalidOnesIsVerified() {
    var copied = LegacySignatureBuilder.forImage(OTHER).signedBy(key).build();
    var garbage = LegacySignatureBuilder.forImage(IMAGE).signatureBase64("@@").build();
    var valid = BundleBuilder.forImage(IMAGE).signedBy(key).build();

    Verdict verdict = verifier.verify(IMAGE, List.of(copied, garbage, valid), key.trustedKey());

    assertThat(verdict)
        .isInstanceOfSatisfying(
            Verdict.Verified.class,
            v -> assertThat(v.format()).isEqualTo(SignatureFormat.BUNDLE_REFERRER));
  }

  @Test
  void firstVerifyingCandidateDecidesTheFormat() {
    var bundle = BundleBuilder.forImage(IMAGE).signedBy(key).build();
    var legacy = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).build();

    assertThat(verifier.verify(IMAGE, List.of(bundle, legacy), key.trustedKey()))
        .isInstanceOfSatisfying(
            Verdict.Verified.class,
            v -> assertThat(v.format()).isEqualTo(SignatureFormat.BUNDLE_REFERRER));
  }

  @Test
  void copiedSignatureIsRejectedNamingCandidateAndBothDigests() {
    var copied = LegacySignatureBuilder.forImage(OTHER).signedBy(key).build();

    assertThat(verifier.verify(IMAGE, List.of(copied), key.trustedKey()))
        .isEqualTo(
            new Verdict.Rejected(
                List.of(
                    "legacy-sig "
                        + SIG_MANIFEST.shortForm()
                        + ": payload is for "
                        + OTHER
                        + ", not "
                        + IMAGE
                        + " (copied signature?)")));
  }

  @Test
  void everyInvalidCandidateIsListedInOrderWithItsReason() {
    TestKey stranger = TestKeys.fresh(KeyType.ECDSA_P256);
    var wrongKey = LegacySignatureBuilder.forImage(IMAGE).signedBy(stranger).build();
    var copiedBundle = BundleBuilder.forImage(OTHER).signedBy(key).hint(null).build();
    var keyless =
        BundleBuilder.forImage(IMAGE)
            .signedBy(key)
            .material(BundleBuilder.Material.CERTIFICATE)
            .format(SignatureFormat.BUNDLE_FALLBACK_TAG)
            .build();

    Verdict verdict =
        verifier.verify(IMAGE, List.of(wrongKey, copiedBundle, keyless), key.trustedKey());

    assertThat(verdict)
        .isEqualTo(
            new Verdict.Rejected(
                List.of(
                    "legacy-sig "
                        + SIG_MANIFEST.shortForm()
                        + ": signature over the payload does not verify with key "
                        + key.trustedKey().fingerprint()
                        + " (ECDSA P-256; tried SHA256withECDSA)",
                    "bundle-referrer "
                        + BUNDLE_MANIFEST.shortForm()
                        + ": statement subject is \""
                        + OTHER
                        + "\", not "
                        + IMAGE
                        + " (copied signature?)",
                    "bundle-fallback-tag "
                        + BUNDLE_MANIFEST.shortForm()
                        + ": bundle is keyless (it has a certificate), not signed with key "
                        + key.trustedKey().fingerprint())));
  }

  @Test
  void legacyLayerWithCertificateStillVerifiesWithTheKeyAsCosignDoes() {
    var legacy =
        LegacySignatureBuilder.forImage(IMAGE)
            .signedBy(key)
            .certificatePem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
            .build();

    assertThat(verifier.verify(IMAGE, List.of(legacy), key.trustedKey()))
        .isInstanceOf(Verdict.Verified.class);
  }

  @Test
  void unusableTrustedKeyIsACheckErrorNotARejection() throws Exception {
    var x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic();
    var bogus = new TrustedKey(x25519, "SHA256:bogus");
    var legacy = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).build();

    assertThat(verifier.verify(IMAGE, List.of(legacy), bogus))
        .isInstanceOfSatisfying(
            Verdict.CheckError.class,
            e ->
                assertThat(e.cause())
                    .startsWith("trusted key SHA256:bogus unusable: XDH keys are not supported"));
  }

  @Test
  void verifyEachReturnsOneVerdictPerKeyInOrder() {
    TestKey second = TestKeys.rsa2048();
    TestKey unrelated = TestKeys.ed25519();
    List<SignatureCandidate> candidates =
        List.of(
            LegacySignatureBuilder.forImage(IMAGE).signedBy(key).build(),
            BundleBuilder.forImage(IMAGE).signedBy(second).build());

    List<KeyVerdict> verdicts =
        verifier.verifyEach(
            IMAGE,
            candidates,
            List.of(key.trustedKey(), unrelated.trustedKey(), second.trustedKey()));

    assertThat(verdicts)
        .extracting(KeyVerdict::key)
        .containsExactly(key.trustedKey(), unrelated.trustedKey(), second.trustedKey());
    assertThat(verdicts.get(0).verdict()).isInstanceOf(Verdict.Verified.class);
    assertThat(verdicts.get(1).verdict())
        .isInstanceOfSatisfying(Verdict.Rejected.class, r -> assertThat(r.reasons()).hasSize(2));
    assertThat(verdicts.get(2).verdict())
        .isEqualTo(
            new Verdict.Verified(
                SignatureFormat.BUNDLE_REFERRER,
                Signer.key(second.trustedKey().fingerprint()),
                IMAGE));
  }

  @Test
  void verifyEachWithoutCandidatesIsUnsignedForEveryKey() {
    List<KeyVerdict> verdicts =
        verifier.verifyEach(
            IMAGE, List.of(), List.of(key.trustedKey(), TestKeys.p384().trustedKey()));

    assertThat(verdicts).extracting(KeyVerdict::verdict).containsOnly(new Verdict.Unsigned());
  }

  @Test
  void checkReportsACandidateOutcomeWithoutThrowing() {
    var hostile =
        new SignatureCandidate.Bundle(
            SIG_MANIFEST, new byte[] {(byte) 0xff, (byte) 0xfe}, SignatureFormat.BUNDLE_REFERRER);

    assertThat(verifier.check(hostile, IMAGE, key.trustedKey()))
        .isInstanceOfSatisfying(
            CandidateResult.Failed.class,
            f -> assertThat(f.reason()).startsWith("bundle is not valid JSON"));
  }

  @Test
  void signaturesThatAllFailOnlyForTheKeyAreSignedByAnotherKey() {
    TestKey stranger = TestKeys.fresh(KeyType.ECDSA_P256);
    var wrongKey = LegacySignatureBuilder.forImage(IMAGE).signedBy(stranger).build();
    var copied = BundleBuilder.forImage(OTHER).signedBy(key).hint(null).build();

    assertThat(verifier.verify(IMAGE, List.of(wrongKey), key.trustedKey()))
        .isInstanceOfSatisfying(
            Verdict.Rejected.class, r -> assertThat(r.kind()).isEqualTo(Cause.WRONG_KEY));
    assertThat(verifier.verify(IMAGE, List.of(wrongKey, copied), key.trustedKey()))
        .as("a copied signature is not 'another key'")
        .isInstanceOfSatisfying(
            Verdict.Rejected.class, r -> assertThat(r.kind()).isEqualTo(Cause.SIGNATURE_REJECTED));
  }
}
