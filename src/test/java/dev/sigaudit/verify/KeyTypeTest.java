package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.junit.jupiter.api.Test;

class KeyTypeTest {
  private static final byte[] MESSAGE = "payload".getBytes(StandardCharsets.UTF_8);

  @Test
  void cosignV3DefaultsFollowSigstoreAlgorithmRegistry() {
    assertThat(KeyType.ECDSA_P256.cosignV3Default()).isEqualTo(SignatureScheme.ECDSA_SHA256);
    assertThat(KeyType.ECDSA_P384.cosignV3Default()).isEqualTo(SignatureScheme.ECDSA_SHA384);
    assertThat(KeyType.ECDSA_P521.cosignV3Default()).isEqualTo(SignatureScheme.ECDSA_SHA512);
    assertThat(KeyType.RSA.cosignV3Default()).isEqualTo(SignatureScheme.RSA_PKCS1_SHA256);
    assertThat(KeyType.ED25519.cosignV3Default()).isEqualTo(SignatureScheme.ED25519_PH);
  }

  @Test
  void p384AcceptsSha384AsCosignV3SignsAndSha256AsOlderCosignSigned() {
    TestKey key = TestKeys.p384();
    PublicKey pub = key.keyPair().getPublic();

    assertThat(accepted(pub, key.sign(MESSAGE, SignatureScheme.ECDSA_SHA384))).isTrue();
    assertThat(accepted(pub, key.sign(MESSAGE, SignatureScheme.ECDSA_SHA256))).isTrue();
    assertThat(accepted(pub, key.sign(MESSAGE, SignatureScheme.ECDSA_SHA512))).isFalse();
  }

  @Test
  void p256AcceptsOnlySha256() {
    TestKey key = TestKeys.p256();
    PublicKey pub = key.keyPair().getPublic();

    assertThat(accepted(pub, key.sign(MESSAGE, SignatureScheme.ECDSA_SHA256))).isTrue();
    assertThat(accepted(pub, key.sign(MESSAGE, SignatureScheme.ECDSA_SHA384))).isFalse();
  }

  @Test
  void ed25519AcceptsPureAndPrehashForms() {
    TestKey key = TestKeys.ed25519();
    PublicKey pub = key.keyPair().getPublic();

    assertThat(accepted(pub, key.sign(MESSAGE, SignatureScheme.ED25519))).isTrue();
    assertThat(accepted(pub, key.sign(MESSAGE, SignatureScheme.ED25519_PH))).isTrue();
  }

  @Test
  void rsaRejectsPssSignatures() throws Exception {
    TestKey key = TestKeys.rsa2048();
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    pss.initSign(key.keyPair().getPrivate());
    pss.update(MESSAGE);

    assertThat(accepted(key.keyPair().getPublic(), pss.sign())).isFalse();
    assertThat(accepted(key.keyPair().getPublic(), key.sign(MESSAGE))).isTrue();
  }

  @Test
  void malformedSignatureBytesAreInvalidNotAnException() {
    assertThat(accepted(TestKeys.p256().keyPair().getPublic(), new byte[] {0x30, 0x01, 0x02}))
        .isFalse();
  }

  @Test
  void describeNamesRsaSize() {
    assertThat(KeyType.describe(TestKeys.rsa2048().keyPair().getPublic())).isEqualTo("RSA-2048");
    assertThat(KeyType.describe(TestKeys.p521().keyPair().getPublic())).isEqualTo("ECDSA P-521");
  }

  private static boolean accepted(PublicKey key, byte[] signature) {
    return KeyType.of(key).acceptedSchemes().stream()
        .anyMatch(s -> s.verifies(key, MESSAGE, signature));
  }
}
