package dev.sigaudit.policy;

import dev.sigaudit.model.TrustedKey;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Keys generated for tests, and their PEM text. */
public final class TestKeys {
  private TestKeys() {}

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (bits > 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM with the given block type, 64-character lines, as openssl writes it. */
  public static String pem(String type, Key key) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  public static String publicPem(KeyPair pair) {
    return pem("PUBLIC KEY", pair.getPublic());
  }

  /** A fresh P-256 key as a policy would trust it. */
  public static TrustedKey trusted() {
    return new PemKeyParser().parse(publicPem(ec("secp256r1")));
  }
}
