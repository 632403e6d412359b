package dev.sigaudit.verify.testing;

import dev.sigaudit.verify.KeyType;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * Keys generated inside the test JVM. One key per type is cached (RSA generation is slow); {@link
 * #fresh(KeyType)} makes another one, e.g. for "signed with the wrong key".
 */
public final class TestKeys {
  private static final Map<KeyType, TestKey> CACHE = new EnumMap<>(KeyType.class);

  private TestKeys() {}

  public static TestKey p256() {
    return cached(KeyType.ECDSA_P256);
  }

  public static TestKey p384() {
    return cached(KeyType.ECDSA_P384);
  }

  public static TestKey p521() {
    return cached(KeyType.ECDSA_P521);
  }

  public static TestKey rsa2048() {
    return cached(KeyType.RSA);
  }

  public static TestKey ed25519() {
    return cached(KeyType.ED25519);
  }

  public static synchronized TestKey cached(KeyType type) {
    return CACHE.computeIfAbsent(type, TestKeys::fresh);
  }

  /** A newly generated key of {@code type} (RSA: 2048 bits). */
  public static TestKey fresh(KeyType type) {
    try {
      KeyPairGenerator generator =
          switch (type) {
            case ECDSA_P256 -> ec("secp256r1");
            case ECDSA_P384 -> ec("secp384r1");
            case ECDSA_P521 -> ec("secp521r1");
            case RSA -> rsa(2048);
            case ED25519 -> KeyPairGenerator.getInstance("Ed25519");
          };
      return new TestKey(type, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate " + type, e);
    }
  }

  /** A PEM block with 64-character lines, as Go's {@code pem.Encode} writes it. */
  public static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static KeyPairGenerator ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator;
  }

  static KeyPairGenerator rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator;
  }
}
