package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.verify.testing.CosignPayloads;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.LegacySignatureBuilder;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LegacySignatureVerifierTest {
  private static final Digest IMAGE = Digests.of("image");
  private static final Digest OTHER = Digests.of("other-image");

  private final LegacySignatureVerifier verifier = new LegacySignatureVerifier();

  static Stream<TestKey> keys() {
    return Stream.of(
        TestKeys.p256(), TestKeys.p384(), TestKeys.p521(), TestKeys.rsa2048(), TestKeys.ed25519());
  }

  @ParameterizedTest
  @MethodSource("keys")
  void passesCosignV3SignatureForEachKeyType(TestKey key) {
    var candidate = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).build();

    CandidateResult result = verifier.verify(candidate, IMAGE, key.trustedKey());

    assertThat(result)
        .isEqualTo(
            new CandidateResult.Passed(
                IMAGE, key.type().cosignV3Default(), Optional.of("registry.example/team/app")));
  }

  @Test
  void passesP384SignedWithSha256AsCosignV2Did() {
    TestKey key = TestKeys.p384();
    var candidate =
        LegacySignatureBuilder.forImage(IMAGE)
            .signedBy(key)
            .scheme(SignatureScheme.ECDSA_SHA256)
            .build();

    assertThat(verifier.verify(candidate, IMAGE, key.trustedKey()))
        .isInstanceOfSatisfying(
            CandidateResult.Passed.class,
            p -> assertThat(p.scheme()).isEqualTo(SignatureScheme.ECDSA_SHA256));
  }

  @Test
  void passesPureEd25519AsOlderCosignSigned() {
    TestKey key = TestKeys.ed25519();
    var candidate =
        LegacySignatureBuilder.forImage(IMAGE)
            .signedBy(key)
            .scheme(SignatureScheme.ED25519)
            .build();

    assertThat(verifier.verify(candidate, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
  }

  @Test
  void passesPayloadWithAnnotations() {
    TestKey key = TestKeys.p256();
    byte[] payload =
        CosignPayloads.simpleSigning(
            IMAGE.toString(), "reg/app", CosignPayloads.SIMPLE_SIGNING_TYPE, Map.of("env", "prod"));
    var candidate = LegacySignatureBuilder.forImage(IMAGE).payload(payload).signedBy(key).build();

    assertThat(verifier.verify(candidate, IMAGE, key.trustedKey()))
        .isInstanceOf(CandidateResult.Passed.class);
  }

  @Test
  void failsWithWrongKeyNamingKeyAndSchemesTried() {
    var candidate = LegacySignatureBuilder.forImage(IMAGE).signedBy(TestKeys.p256()).build();
    var otherKey = TestKeys.fresh(KeyType.ECDSA_P256).trustedKey();

    assertThat(verifier.verify(candidate, IMAGE, otherKey))
        .isEqualTo(
            new CandidateResult.Failed(
                "signature over the payload does not verify with key "
                    + otherKey.fingerprint()
                    + " (ECDSA P-256; tried SHA256withECDSA)",
                Cause.WRONG_KEY));
  }

  @Test
  void failsWhenPayloadWasTamperedAfterSigning() {
    TestKey key = TestKeys.rsa2048();
    byte[] original = CosignPayloads.simpleSigning(OTHER, "reg/app");
    var candidate = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).signOver(original).build();

    assertThat(failure(verifier.verify(candidate, IMAGE, key.trustedKey())))
        .startsWith("signature over the payload does not verify with key SHA256:")
        .endsWith("(RSA-2048; tried SHA256withRSA)");
  }

  @Test
  void failsCopiedSignatureOfAnotherImageNamingBothDigests() {
    TestKey key = TestKeys.p256();
    var copied = LegacySignatureBuilder.forImage(OTHER).signedBy(key).build();

    assertThat(failure(verifier.verify(copied, IMAGE, key.trustedKey())))
        .isEqualTo("payload is for " + OTHER + ", not " + IMAGE + " (copied signature?)");
  }

  @Test
  void failsPayloadOfAnotherType() {
    TestKey key = TestKeys.p256();
    byte[] payload =
        CosignPayloads.simpleSigning(IMAGE.toString(), "r", "atomic container signature", null);
    var candidate = LegacySignatureBuilder.forImage(IMAGE).payload(payload).signedBy(key).build();

    assertThat(failure(verifier.verify(candidate, IMAGE, key.trustedKey())))
        .isEqualTo(
            "payload critical.type is \"atomic container signature\","
                + " not \"cosign container image signature\"");
  }

  @Test
  void escapesControlCharactersFromHostilePayloadInReason() {
    TestKey key = TestKeys.p256();
    byte[] payload = CosignPayloads.simpleSigning(IMAGE.toString(), "r", "evil\nPASS", null);
    var candidate = LegacySignatureBuilder.forImage(IMAGE).payload(payload).signedBy(key).build();

    assertThat(failure(verifier.verify(candidate, IMAGE, key.trustedKey())))
        .contains("\"evil\\u000aPASS\"")
        .doesNotContain("\n");
  }

  @Test
  void failsPayloadWhoseDigestIsNotADigest() {
    TestKey key = TestKeys.p256();
    byte[] payload =
        CosignPayloads.simpleSigning("sha256:XYZ", "r", CosignPayloads.SIMPLE_SIGNING_TYPE, null);
    var candidate = LegacySignatureBuilder.forImage(IMAGE).payload(payload).signedBy(key).build();

    assertThat(failure(verifier.verify(candidate, IMAGE, key.trustedKey())))
        .isEqualTo(
            "payload critical.image.docker-manifest-digest \"sha256:XYZ\" is not a valid digest");
  }

  @Test
  void failsMalformedBase64Signature() {
    var candidate =
        LegacySignatureBuilder.forImage(IMAGE).signatureBase64("not base64 at all!").build();

    assertThat(failure(verifier.verify(candidate, IMAGE, TestKeys.p256().trustedKey())))
        .startsWith("signature annotation is not valid base64 (");
  }

  @Test
  void failsEmptySignature() {
    var candidate = LegacySignatureBuilder.forImage(IMAGE).signatureBase64("").build();

    assertThat(failure(verifier.verify(candidate, IMAGE, TestKeys.p256().trustedKey())))
        .isEqualTo("signature annotation is empty");
  }

  @Test
  void failsSignedButMalformedJson() {
    TestKey key = TestKeys.p256();
    byte[] payload = "{\"critical\": {".getBytes(StandardCharsets.UTF_8);
    var candidate = LegacySignatureBuilder.forImage(IMAGE).payload(payload).signedBy(key).build();

    assertThat(failure(verifier.verify(candidate, IMAGE, key.trustedKey())))
        .startsWith("payload is not valid JSON at offset");
  }

  @Test
  void failsPayloadWithDuplicateDigestKeys() {
    TestKey key = TestKeys.p256();
    String json =
        "{\"critical\":{\"image\":{\"docker-manifest-digest\":\""
            + OTHER
            + "\",\"docker-manifest-digest\":\""
            + IMAGE
            + "\"},\"type\":\"cosign container image signature\"}}";
    var candidate =
        LegacySignatureBuilder.forImage(IMAGE)
            .payload(json.getBytes(StandardCharsets.UTF_8))
            .signedBy(key)
            .build();

    assertThat(failure(verifier.verify(candidate, IMAGE, key.trustedKey())))
        .startsWith("payload is not valid JSON")
        .contains("Duplicate field 'docker-manifest-digest'");
  }

  @Test
  void failsPayloadWithoutCritical() {
    TestKey key = TestKeys.p256();
    var candidate =
        LegacySignatureBuilder.forImage(IMAGE)
            .payload("{\"optional\":null}".getBytes(StandardCharsets.UTF_8))
            .signedBy(key)
            .build();

    assertThat(failure(verifier.verify(candidate, IMAGE, key.trustedKey())))
        .isEqualTo("payload critical is missing");
  }

  @Test
  void failsOversizePayloadBeforeVerifying() {
    byte[] huge = new byte[SimpleSigningPayload.MAX_BYTES + 1];
    var candidate =
        LegacySignatureBuilder.forImage(IMAGE).payload(huge).signatureBase64("AAAA").build();

    assertThat(failure(verifier.verify(candidate, IMAGE, TestKeys.p256().trustedKey())))
        .isEqualTo("payload is 1048577 bytes, more than the 1048576 allowed");
  }

  private static String failure(CandidateResult result) {
    assertThat(result).isInstanceOf(CandidateResult.Failed.class);
    return ((CandidateResult.Failed) result).reason();
  }
}
