package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BouncyCastle's ECDSA verification decides as the JDK's would, for genuine signatures and for
 * malformed or forged ones (each case is judged by both and must agree), except where the JDK is
 * laxer than Go: an INTEGER negative as written, which both Go and sigaudit reject.
 */
class EcdsaVerifierTest {
  private static final byte[] MESSAGE =
      "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:ab\"}}}"
          .getBytes(StandardCharsets.UTF_8);

  private static final Map<String, String> DIGESTS =
      Map.of(
          "SHA224withECDSA", "SHA-224",
          "SHA256withECDSA", "SHA-256",
          "SHA384withECDSA", "SHA-384",
          "SHA512withECDSA", "SHA-512");

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void decidesAsTheJdkDoesForGenuineMalformedAndForgedSignatures(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    KeyPair pair = g.generateKeyPair();
    KeyPair other = g.generateKeyPair();
    int cases = 0;
    int valid = 0;
    for (var scheme : DIGESTS.entrySet()) {
      Signature signer = Signature.getInstance(scheme.getKey());
      signer.initSign(pair.getPrivate());
      signer.update(MESSAGE);
      byte[] sig = signer.sign();
      for (Variant v : variants(sig)) {
        for (byte[] message : List.of(MESSAGE, tampered(MESSAGE))) {
          for (KeyPair key : List.of(pair, other)) {
            boolean jdk = jdkVerifies(scheme.getKey(), key, message, v.signature());
            boolean ours =
                EcdsaVerifier.verifies(
                    scheme.getValue(), (ECPublicKey) key.getPublic(), message, v.signature());
            assertThat(ours)
                .as(
                    "%s %s, %s, %s",
                    curve, scheme.getKey(), v.name(), key == pair ? "signer's key" : "another key")
                .isEqualTo(jdk);
            cases++;
            valid += ours ? 1 : 0;
          }
        }
      }
    }
    assertThat(valid).as("one genuine signature per hash verifies").isEqualTo(DIGESTS.size());
    assertThat(cases).isGreaterThan(100);
  }

  @org.junit.jupiter.api.Test
  void valuesOutOfRangeAndTheOtherSOfTheSamePairAreJudgedAsByTheJdk() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    var key = (ECPublicKey) pair.getPublic();
    var n = key.getParams().getOrder();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(MESSAGE);
    var rs = parse(signer.sign());
    var r = new java.math.BigInteger(1, rs[0]);
    var s = new java.math.BigInteger(1, rs[1]);
    Map<String, byte[]> cases =
        Map.of(
            "r + n", sequence(r.add(n).toByteArray(), s.toByteArray()),
            "s = n", sequence(r.toByteArray(), n.toByteArray()),
            "s + n", sequence(r.toByteArray(), s.add(n).toByteArray()),
            "n - s (the other valid s)", sequence(r.toByteArray(), n.subtract(s).toByteArray()));
    for (var c : cases.entrySet()) {
      boolean jdk = jdkVerifies("SHA256withECDSA", pair, MESSAGE, c.getValue());
      assertThat(EcdsaVerifier.verifies("SHA-256", key, MESSAGE, c.getValue()))
          .as(c.getKey())
          .isEqualTo(jdk);
    }
    assertThat(
            EcdsaVerifier.verifies("SHA-256", key, MESSAGE, cases.get("n - s (the other valid s)")))
        .as("ECDSA signatures are malleable: (r, n - s) is valid, for Go and the JDK alike")
        .isTrue();
  }

  @org.junit.jupiter.api.Test
  void anIntegerNegativeAsWrittenIsInvalidAsInGoWhereTheJdkReadsItAsPositive() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    byte[][] rs;
    do { // until r has its high bit set, so that DER pads it with 0x00
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(MESSAGE);
      rs = parse(signer.sign());
    } while (rs[0][0] != 0);
    byte[] unpadded = sequence(Arrays.copyOfRange(rs[0], 1, rs[0].length), rs[1]);

    assertThat(jdkVerifies("SHA256withECDSA", pair, MESSAGE, unpadded))
        .as("the JDK reads the negative INTEGER as positive")
        .isTrue();
    var key = (ECPublicKey) pair.getPublic();
    assertThat(EcdsaVerifier.verifies("SHA-256", key, MESSAGE, unpadded)).isFalse();
    // And a scheme's verification is this verifier's, not the JDK's.
    assertThat(SignatureScheme.ECDSA_SHA256.verifies(key, MESSAGE, unpadded)).isFalse();
    assertThat(SignatureScheme.ECDSA_SHA256.verifies(key, MESSAGE, sequence(rs[0], rs[1])))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SHA-256"})
  void aSignatureByOneSchemeDoesNotVerifyUnderAnotherHash(String digest) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair pair = g.generateKeyPair();
    Signature signer = Signature.getInstance("SHA384withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(MESSAGE);
    byte[] sig = signer.sign();
    var key = (ECPublicKey) pair.getPublic();
    assertThat(EcdsaVerifier.verifies("SHA-384", key, MESSAGE, sig)).isTrue();
    assertThat(EcdsaVerifier.verifies(digest, key, MESSAGE, sig)).isFalse();
  }

  private static boolean jdkVerifies(String alg, KeyPair key, byte[] message, byte[] sig) {
    try {
      Signature v = Signature.getInstance(alg);
      v.initVerify(key.getPublic());
      v.update(message);
      return v.verify(sig);
    } catch (Exception e) {
      return false;
    }
  }

  private record Variant(String name, byte[] signature) {}

  /** The genuine signature and ways to break its encoding or values. */
  private static List<Variant> variants(byte[] der) {
    List<Variant> out = new ArrayList<>();
    out.add(new Variant("genuine", der));
    out.add(new Variant("empty", new byte[0]));
    out.add(new Variant("trailing byte", Arrays.copyOf(der, der.length + 1)));
    out.add(new Variant("truncated", Arrays.copyOf(der, der.length - 1)));
    byte[] flipped = der.clone();
    flipped[flipped.length - 1] ^= 1;
    out.add(new Variant("last bit of s flipped", flipped));
    out.add(
        new Variant(
            "not a sequence", concat(new byte[] {0x31}, Arrays.copyOfRange(der, 1, der.length))));
    // r with a redundant leading zero: valid BER, not DER.
    var rs = parse(der);
    out.add(new Variant("padded r", sequence(concat(new byte[] {0}, rs[0]), rs[1])));
    out.add(new Variant("r and s swapped", sequence(rs[1], rs[0])));
    out.add(new Variant("r = 0", sequence(new byte[] {0}, rs[1])));
    out.add(new Variant("s = 0", sequence(rs[0], new byte[] {0})));
    out.add(new Variant("negative s", sequence(rs[0], concat(new byte[] {(byte) 0xff}, rs[1]))));
    out.add(new Variant("r only", sequenceOf(integer(rs[0]))));
    out.add(
        new Variant(
            "three integers", sequenceOf(concat(integer(rs[0]), integer(rs[1]), integer(rs[1])))));
    // The same sequence with a long-form length: BER, not DER.
    byte[] body = Arrays.copyOfRange(der, 2, der.length);
    if (body.length < 128) {
      out.add(
          new Variant(
              "long-form length",
              concat(new byte[] {0x30, (byte) 0x81, (byte) body.length}, body)));
    }
    return out;
  }

  /** The contents of r and s of a DER signature whose lengths fit one byte. */
  private static byte[][] parse(byte[] der) {
    int i = der[1] == (byte) 0x81 ? 3 : 2;
    int rLen = der[i + 1];
    byte[] r = Arrays.copyOfRange(der, i + 2, i + 2 + rLen);
    int j = i + 2 + rLen;
    int sLen = der[j + 1];
    byte[] s = Arrays.copyOfRange(der, j + 2, j + 2 + sLen);
    return new byte[][] {r, s};
  }

  private static byte[] integer(byte[] content) {
    return concat(new byte[] {0x02}, length(content.length), content);
  }

  private static byte[] sequence(byte[] r, byte[] s) {
    return sequenceOf(concat(integer(r), integer(s)));
  }

  private static byte[] sequenceOf(byte[] body) {
    return concat(new byte[] {0x30}, length(body.length), body);
  }

  private static byte[] length(int n) {
    return n < 128 ? new byte[] {(byte) n} : new byte[] {(byte) 0x81, (byte) n};
  }

  private static byte[] tampered(byte[] m) {
    byte[] t = m.clone();
    t[t.length / 2] ^= 1;
    return t;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
