package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.TrustedKey;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PemKeyParserTest {
  private final PemKeyParser parser = new PemKeyParser();

  private static String expectedFingerprint(KeyPair pair) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded());
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1"})
  void parsesEcdsaKeysOnTheNistCurvesCosignUses(String curve) throws Exception {
    KeyPair pair = TestKeys.ec(curve);

    TrustedKey key = parser.parse(TestKeys.publicPem(pair));

    assertThat(key.key()).isEqualTo(pair.getPublic());
    assertThat(key.fingerprint()).isEqualTo(expectedFingerprint(pair)).doesNotEndWith("=");
  }

  @Test
  void parsesRsaAndEd25519Keys() throws Exception {
    KeyPair rsa = TestKeys.generate("RSA", 2048);
    KeyPair ed = TestKeys.generate("Ed25519", 0);

    assertThat(parser.parse(TestKeys.publicPem(rsa)).fingerprint())
        .isEqualTo(expectedFingerprint(rsa));
    assertThat(parser.parse(TestKeys.publicPem(ed)).key()).isEqualTo(ed.getPublic());
  }

  @Test
  void ignoresTextAroundTheBlock() {
    KeyPair pair = TestKeys.ec("secp256r1");

    TrustedKey key =
        parser.parse("# release key\n" + TestKeys.publicPem(pair) + "\ntrailing notes");

    assertThat(key.key()).isEqualTo(pair.getPublic());
  }

  @Test
  void readsP521KeysAsKyvernoAndPolicyControllerDo() {
    KeyPair pair = TestKeys.ec("secp521r1");

    assertThat(parser.parse(TestKeys.publicPem(pair)).key()).isEqualTo(pair.getPublic());
  }

  @Test
  void refusesOtherCurves() throws Exception {
    // A P-256 point labelled as brainpoolP256r1: the curve is refused before the point is read.
    var p256 =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
            TestKeys.ec("secp256r1").getPublic().getEncoded());
    var brainpool =
        new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
            new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                p256.getAlgorithm().getAlgorithm(),
                new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.36.3.3.2.8.1.1.7")),
            p256.getPublicKeyData().getBytes());
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(brainpool.getEncoded())
            + "\n-----END PUBLIC KEY-----\n";

    assertThatThrownBy(() -> parser.parse(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported EC curve 1.3.36.3.3.2.8.1.1.7; expected P-256, P-384 or P-521");
  }

  @Test
  void refusesWeakRsaKeys() {
    assertThatThrownBy(() -> parser.parse(TestKeys.publicPem(TestKeys.generate("RSA", 1024))))
        .hasMessage("RSA key of 1024 bits; at least 2048 required");
  }

  @Test
  void refusesAPrivateKeySayingItMustNotBeInAPolicy() {
    String pem = TestKeys.pem("PRIVATE KEY", TestKeys.ec("secp256r1").getPrivate());

    assertThatThrownBy(() -> parser.parse(pem))
        .hasMessage("a PRIVATE KEY block; a policy must contain only the public key");
  }

  @Test
  void refusesOtherBlockTypes() {
    String pem = TestKeys.pem("CERTIFICATE", TestKeys.ec("secp256r1").getPublic());

    assertThatThrownBy(() -> parser.parse(pem))
        .hasMessage("a CERTIFICATE block, expected PUBLIC KEY");
  }

  @Test
  void refusesTwoKeysInOneEntry() {
    String two =
        TestKeys.publicPem(TestKeys.ec("secp256r1")) + TestKeys.publicPem(TestKeys.ec("secp256r1"));

    assertThatThrownBy(() -> parser.parse(two))
        .hasMessage("2 PEM blocks; expected exactly one PUBLIC KEY");
  }

  @Test
  void refusesTextWithoutABlock() {
    assertThatThrownBy(() -> parser.parse("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"))
        .hasMessage("no -----BEGIN PUBLIC KEY----- block");
    assertThatThrownBy(() -> parser.parse(null)).hasMessage("no -----BEGIN PUBLIC KEY----- block");
  }

  @Test
  void refusesBadBase64AndBadDer() {
    assertThatThrownBy(
            () -> parser.parse("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----"))
        .hasMessage("invalid base64 in the PEM block");
    assertThatThrownBy(
            () -> parser.parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        .hasMessage("not a DER SubjectPublicKeyInfo");
  }

  @Test
  void refusesTrailingBytesAfterTheKey() {
    KeyPair pair = TestKeys.ec("secp256r1");
    byte[] der = pair.getPublic().getEncoded();
    byte[] longer = java.util.Arrays.copyOf(der, der.length + 2);
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getEncoder().encodeToString(longer)
            + "\n-----END PUBLIC KEY-----\n";

    assertThatThrownBy(() -> parser.parse(pem)).hasMessage("not a DER SubjectPublicKeyInfo");
  }
}
