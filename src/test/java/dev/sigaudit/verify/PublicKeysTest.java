package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PublicKeysTest {

  static Stream<TestKey> supportedKeys() {
    return Stream.of(
        TestKeys.p256(), TestKeys.p384(), TestKeys.p521(), TestKeys.rsa2048(), TestKeys.ed25519());
  }

  @ParameterizedTest
  @MethodSource("supportedKeys")
  void parsesEachSupportedKeyTypeFromCosignPubPem(TestKey testKey) {
    List<TrustedKey> keys = PublicKeys.parsePem(testKey.publicPem());

    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).key().getEncoded())
        .isEqualTo(testKey.keyPair().getPublic().getEncoded());
    assertThat(KeyType.of(keys.get(0).key())).isEqualTo(testKey.type());
  }

  @Test
  void fingerprintIsSha256OfPkixDerInUnpaddedBase64WithPrefix() throws Exception {
    TestKey key = TestKeys.p256();
    byte[] sha =
        MessageDigest.getInstance("SHA-256").digest(key.keyPair().getPublic().getEncoded());

    String fingerprint = PublicKeys.parsePem(key.publicPem()).get(0).fingerprint();

    assertThat(fingerprint)
        .isEqualTo("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha))
        .doesNotEndWith("=");
  }

  @Test
  void bundleHintIsPaddedStandardBase64OfTheSameHash() throws Exception {
    TestKey key = TestKeys.ed25519();
    byte[] sha =
        MessageDigest.getInstance("SHA-256").digest(key.keyPair().getPublic().getEncoded());

    assertThat(PublicKeys.bundleHint(key.keyPair().getPublic()))
        .isEqualTo(Base64.getEncoder().encodeToString(sha))
        .endsWith("=");
  }

  @Test
  void parsesEveryKeyOfAPemWithTwoKeysInOrder() {
    String pem = TestKeys.p256().publicPem() + "\n" + TestKeys.rsa2048().publicPem();

    List<TrustedKey> keys = PublicKeys.parsePem(pem);

    assertThat(keys)
        .extracting(k -> KeyType.of(k.key()))
        .containsExactly(KeyType.ECDSA_P256, KeyType.RSA);
    assertThat(keys.get(0).fingerprint()).isNotEqualTo(keys.get(1).fingerprint());
  }

  @Test
  void acceptsPkcs1RsaPublicKeyBlockLikeCosign() throws Exception {
    byte[] spki = TestKeys.rsa2048().keyPair().getPublic().getEncoded();
    byte[] pkcs1 = SubjectPublicKeyInfo.getInstance(spki).parsePublicKey().getEncoded();

    List<TrustedKey> keys = PublicKeys.parsePem(TestKeys.pem("RSA PUBLIC KEY", pkcs1));

    assertThat(keys.get(0).fingerprint()).isEqualTo(TestKeys.rsa2048().trustedKey().fingerprint());
  }

  @Test
  void rejectsSecp256k1NamingTheCurve() throws Exception {
    X9ECParameters k1 = ECNamedCurveTable.getByName("secp256k1");
    SubjectPublicKeyInfo spki =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(
                X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
            k1.getG().getEncoded(false));

    assertThatThrownBy(() -> PublicKeys.parsePem(TestKeys.pem("PUBLIC KEY", spki.getEncoded())))
        .isInstanceOf(InvalidPublicKeyException.class)
        .hasMessage(
            "PEM block 1: ECDSA curve secp256k1 (1.3.132.0.10) is not supported"
                + " (supported: P-256, P-384, P-521)");
  }

  @Test
  void rejectsDsaNamingTheAlgorithm() throws Exception {
    KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
    dsa.initialize(2048);
    String pem = TestKeys.pem("PUBLIC KEY", dsa.generateKeyPair().getPublic().getEncoded());

    assertThatThrownBy(() -> PublicKeys.parsePem(pem))
        .isInstanceOf(InvalidPublicKeyException.class)
        .hasMessageStartingWith("PEM block 1: DSA keys are not supported (supported: ECDSA P-256");
  }

  @Test
  void rejectsEd448() throws Exception {
    String pem =
        TestKeys.pem(
            "PUBLIC KEY",
            KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic().getEncoded());

    assertThatThrownBy(() -> PublicKeys.parsePem(pem))
        .hasMessageStartingWith("PEM block 1: Ed448 keys are not supported");
  }

  @Test
  void rejectsRsaBelow2048Bits() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    String pem = TestKeys.pem("PUBLIC KEY", rsa.generateKeyPair().getPublic().getEncoded());

    assertThatThrownBy(() -> PublicKeys.parsePem(pem))
        .hasMessage("PEM block 1: RSA key of 1024 bits is too small (minimum 2048)");
  }

  @Test
  void rejectsEcPointThatIsNotOnTheCurve() throws Exception {
    byte[] point = new byte[65];
    point[0] = 4;
    point[32] = 1;
    point[64] = 1; // (1, 1) is not on P-256
    SubjectPublicKeyInfo spki =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(
                X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1),
            point);

    assertThatThrownBy(() -> PublicKeys.parsePem(TestKeys.pem("PUBLIC KEY", spki.getEncoded())))
        .isInstanceOf(InvalidPublicKeyException.class)
        .hasMessageStartingWith("PEM block 1: invalid EC public key:");
  }

  @Test
  void rejectsExplicitCurveParameters() throws Exception {
    X9ECParameters p256 = ECNamedCurveTable.getByName("P-256");
    SubjectPublicKeyInfo spki =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, new X962Parameters(p256)),
            p256.getG().getEncoded(false));

    assertThatThrownBy(() -> PublicKeys.parsePem(TestKeys.pem("PUBLIC KEY", spki.getEncoded())))
        .hasMessage(
            "PEM block 1: ECDSA keys with explicit curve parameters are not supported"
                + " (use a named curve)");
  }

  @Test
  void rejectsPrivateKeyBlockWithoutEchoingIt() {
    String pem = "-----BEGIN PRIVATE KEY-----\nTUlJQ2Vn\n-----END PRIVATE KEY-----\n";

    assertThatThrownBy(() -> PublicKeys.parsePem(pem))
        .hasMessage(
            "PEM block 1: type PRIVATE KEY is not a PUBLIC KEY"
                + " (a private key must never be put in a policy; use cosign.pub)")
        .message()
        .doesNotContain("TUlJ");
  }

  @Test
  void namesTheFailingBlockWhenTheSecondKeyIsBad() {
    String pem = TestKeys.p256().publicPem() + TestKeys.pem("CERTIFICATE", new byte[] {0x30, 0x00});

    assertThatThrownBy(() -> PublicKeys.parsePem(pem))
        .hasMessageStartingWith("PEM block 2: type CERTIFICATE is not a PUBLIC KEY");
  }

  @Test
  void rejectsTextWithoutPemBlock() {
    assertThatThrownBy(() -> PublicKeys.parsePem("ssh-ed25519 AAAAC3Nza me@host"))
        .isInstanceOf(InvalidPublicKeyException.class)
        .hasMessage("no PEM block found (expected -----BEGIN PUBLIC KEY-----)");
  }

  @Test
  void rejectsDerWithTrailingBytes() {
    byte[] der = TestKeys.p256().keyPair().getPublic().getEncoded();
    byte[] padded = java.util.Arrays.copyOf(der, der.length + 2);

    assertThatThrownBy(() -> PublicKeys.parsePem(TestKeys.pem("PUBLIC KEY", padded)))
        .hasMessageStartingWith("PEM block 1: not a DER SubjectPublicKeyInfo:");
  }

  @Test
  void rejectsMalformedBase64InsideBlock() {
    String pem = "-----BEGIN PUBLIC KEY-----\n!!!notbase64!!!\n-----END PUBLIC KEY-----\n";

    assertThatThrownBy(() -> PublicKeys.parsePem(pem))
        .isInstanceOf(InvalidPublicKeyException.class)
        .hasMessageStartingWith("malformed PEM in PEM block 1:");
  }

  @Test
  void rejectsOversizeInputBeforeParsing() {
    String huge = "x".repeat(PublicKeys.MAX_PEM_CHARS + 1);

    assertThatThrownBy(() -> PublicKeys.parsePem(huge))
        .hasMessage("public key PEM text is 65537 characters, more than 65536");
  }

  @Test
  void trustedRejectsUnsupportedJcaKey() throws Exception {
    KeyPairGenerator x25519 = KeyPairGenerator.getInstance("X25519");

    assertThatThrownBy(() -> PublicKeys.trusted(x25519.generateKeyPair().getPublic()))
        .isInstanceOf(InvalidPublicKeyException.class)
        .hasMessageStartingWith("XDH keys are not supported");
  }
}
