package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.verify.testing.BundleBuilder;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.LegacySignatureBuilder;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A key read as an admission engine reads it ({@link KeyAcceptance#engine}) accepts exactly the one
 * scheme sigstore's {@code LoadVerifier(key, hash)} verifies; read as sigaudit's own files read it
 * ({@link KeyAcceptance#COSIGN}) it accepts every scheme cosign may have signed with.
 */
class EngineSchemesTest {
  private static final Digest IMAGE = Digests.of("image");

  private final KeyVerifier verifier = new KeyVerifier();

  static Stream<Arguments> cases() {
    HashAlgorithm sha256 = HashAlgorithm.SHA256;
    HashAlgorithm sha384 = HashAlgorithm.SHA384;
    HashAlgorithm sha512 = HashAlgorithm.SHA512;
    return Stream.of(
        // key, the scheme the signature was made with, the policy's hash, engine verdict
        Arguments.of(TestKeys.p256(), SignatureScheme.ECDSA_SHA256, sha256, true),
        // What cosign >= 2 writes for P-384 and P-521: the engines left at sha256 reject it.
        Arguments.of(TestKeys.p384(), SignatureScheme.ECDSA_SHA384, sha256, false),
        Arguments.of(TestKeys.p384(), SignatureScheme.ECDSA_SHA384, sha384, true),
        Arguments.of(TestKeys.p384(), SignatureScheme.ECDSA_SHA256, sha256, true),
        Arguments.of(TestKeys.p384(), SignatureScheme.ECDSA_SHA256, sha384, false),
        Arguments.of(TestKeys.p521(), SignatureScheme.ECDSA_SHA512, sha256, false),
        Arguments.of(TestKeys.p521(), SignatureScheme.ECDSA_SHA512, sha512, true),
        // The hash applies to whatever curve: a P-256 key verified with SHA-384.
        Arguments.of(TestKeys.p256(), SignatureScheme.ECDSA_SHA384, sha384, true),
        Arguments.of(TestKeys.rsa2048(), SignatureScheme.RSA_PKCS1_SHA256, sha256, true),
        Arguments.of(TestKeys.rsa2048(), SignatureScheme.RSA_PKCS1_SHA384, sha384, true),
        Arguments.of(TestKeys.rsa2048(), SignatureScheme.RSA_PKCS1_SHA256, sha512, false),
        // Ed25519 is always pure in the engines: cosign's Ed25519ph never verifies there.
        Arguments.of(TestKeys.ed25519(), SignatureScheme.ED25519, sha256, true),
        Arguments.of(TestKeys.ed25519(), SignatureScheme.ED25519, sha512, true),
        Arguments.of(TestKeys.ed25519(), SignatureScheme.ED25519_PH, sha256, false),
        Arguments.of(TestKeys.ed25519(), SignatureScheme.ED25519_PH, sha512, false));
  }

  @ParameterizedTest(name = "{0} signed with {1}, policy {2}: engine accepts = {3}")
  @MethodSource("cases")
  void legacySignaturesVerifyAsTheEngineVerifiesThem(
      TestKey key, SignatureScheme signedWith, HashAlgorithm policyHash, boolean engineAccepts) {
    var candidate = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).scheme(signedWith).build();
    TrustedKey engine = key.trustedKey().withAcceptance(KeyAcceptance.engine(policyHash, false));

    assertThat(verifier.check(candidate, IMAGE, engine))
        .isInstanceOf(engineAccepts ? CandidateResult.Passed.class : CandidateResult.Failed.class);
  }

  @ParameterizedTest(name = "{0} signed with {1}, policy {2}: engine accepts = {3}")
  @MethodSource("cases")
  void bundlesVerifyAsTheEngineVerifiesThem(
      TestKey key, SignatureScheme signedWith, HashAlgorithm policyHash, boolean engineAccepts) {
    var candidate = BundleBuilder.forImage(IMAGE).signedBy(key).scheme(signedWith).build();
    TrustedKey engine = key.trustedKey().withAcceptance(KeyAcceptance.engine(policyHash, false));

    assertThat(verifier.check(candidate, IMAGE, engine))
        .isInstanceOf(engineAccepts ? CandidateResult.Passed.class : CandidateResult.Failed.class);
  }

  @ParameterizedTest(name = "{0} signed with {1}: sigaudit's own reading accepts it")
  @MethodSource("cases")
  void sigauditsOwnReadingAcceptsEveryCosignScheme(
      TestKey key, SignatureScheme signedWith, HashAlgorithm unused, boolean ignored) {
    var candidate = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).scheme(signedWith).build();
    boolean cosignWritesIt = key.type().acceptedSchemes().contains(signedWith);

    assertThat(verifier.check(candidate, IMAGE, key.trustedKey()))
        .isInstanceOf(cosignWritesIt ? CandidateResult.Passed.class : CandidateResult.Failed.class);
  }

  @Test
  void anRsaKeyWithSha224CannotBeLoadedByTheEngineSoNothingVerifies() {
    TestKey key = TestKeys.rsa2048();
    var candidate =
        LegacySignatureBuilder.forImage(IMAGE)
            .signedBy(key)
            .scheme(SignatureScheme.RSA_PKCS1_SHA256)
            .build();
    TrustedKey engine =
        key.trustedKey().withAcceptance(KeyAcceptance.engine(HashAlgorithm.SHA224, false));

    assertThat(verifier.check(candidate, IMAGE, engine))
        .isInstanceOfSatisfying(
            CandidateResult.Failed.class,
            f -> assertThat(f.reason()).contains("cannot be used with sha224"));
  }

  @Test
  void p521KeysLoadFromPemAndVerifyWithSha512() {
    TestKey key = TestKeys.p521();
    TrustedKey parsed =
        new PemKeyParser()
            .parse(key.publicPem())
            .withAcceptance(KeyAcceptance.engine(HashAlgorithm.SHA512, false));
    var candidate = LegacySignatureBuilder.forImage(IMAGE).signedBy(key).build();

    assertThat(KeyType.of(parsed.key())).isEqualTo(KeyType.ECDSA_P521);
    assertThat(verifier.check(candidate, IMAGE, parsed)).isInstanceOf(CandidateResult.Passed.class);
  }

  @Test
  void readingsOfOneKeyNeverShareAVerdictIdentifier() {
    TrustedKey key = TestKeys.p384().trustedKey();

    assertThat(KeyAcceptance.COSIGN.idSuffix()).isEmpty();
    assertThat(
            Stream.of(
                    KeyAcceptance.COSIGN,
                    KeyAcceptance.engine(HashAlgorithm.SHA256, false),
                    KeyAcceptance.engine(HashAlgorithm.SHA384, false),
                    KeyAcceptance.engine(HashAlgorithm.SHA256, true))
                .map(a -> new dev.sigaudit.policy.Authority.Key(key.withAcceptance(a)).id())
                .distinct())
        .hasSize(4);
  }
}
