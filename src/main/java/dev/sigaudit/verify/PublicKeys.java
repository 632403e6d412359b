package dev.sigaudit.verify;

import dev.sigaudit.model.TrustedKey;
import java.io.IOException;
import java.io.StringReader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads the public keys a policy trusts (the {@code cosign.pub} format) and computes the
 * identifiers reports and bundles use for them.
 *
 * <p>Accepted: one or more PEM blocks of type {@code PUBLIC KEY} (PKIX, RFC 5280 §4.1.2.7) or
 * {@code RSA PUBLIC KEY} (PKCS#1; cosign's {@code cryptoutils.UnmarshalPEMToPublicKey} accepts it
 * too) holding an ECDSA P-256/P-384/P-521, RSA 2048–8192 or Ed25519 key. Cosign itself reads only
 * the first block; a policy here may list several, and each becomes its own {@link TrustedKey}.
 */
public final class PublicKeys {
  /** A key file is a few hundred bytes; a bundle of a few dozen keys stays far below this. */
  public static final int MAX_PEM_CHARS = 64 * 1024;

  private PublicKeys() {}

  /**
   * Parses every PEM block in {@code pem}.
   *
   * @throws InvalidPublicKeyException when the text is too large, holds no PEM block, or any block
   *     is not a supported public key (the message says which block and why)
   */
  public static List<TrustedKey> parsePem(String pem) {
    if (pem == null) {
      throw new InvalidPublicKeyException("no public key: the PEM text is null");
    }
    if (pem.length() > MAX_PEM_CHARS) {
      throw new InvalidPublicKeyException(
          "public key PEM text is " + pem.length() + " characters, more than " + MAX_PEM_CHARS);
    }
    List<TrustedKey> keys = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      for (PemObject block; (block = reader.readPemObject()) != null; ) {
        keys.add(trusted(decodeBlock(block, keys.size() + 1)));
      }
    } catch (IOException | IllegalArgumentException e) {
      if (e instanceof InvalidPublicKeyException invalid) {
        throw invalid;
      }
      // PemReader reports bad base64 or a missing END line this way.
      throw new InvalidPublicKeyException(
          "malformed PEM in PEM block " + (keys.size() + 1) + ": " + e.getMessage(), e);
    }
    if (keys.isEmpty()) {
      throw new InvalidPublicKeyException(
          "no PEM block found (expected -----BEGIN PUBLIC KEY-----)");
    }
    return List.copyOf(keys);
  }

  /**
   * Wraps an already-parsed key after checking that it is supported.
   *
   * @throws InvalidPublicKeyException for an unsupported algorithm, curve or size
   */
  public static TrustedKey trusted(PublicKey key) {
    KeyType.of(key);
    return new TrustedKey(key, fingerprint(key));
  }

  /**
   * {@code SHA256:} plus unpadded base64 of sha256 over the PKIX DER, the notation {@code
   * ssh-keygen -l} uses for fingerprints.
   */
  public static String fingerprint(PublicKey key) {
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(der(key)));
  }

  /**
   * The {@code verificationMaterial.publicKey.hint} cosign writes into keyed bundles: padded
   * standard base64 of sha256 over the PKIX DER ({@code internal/key/svkeypair.go}). A hint is
   * unauthenticated: it may help a reader pick a key, never decide that a signature is valid.
   */
  public static String bundleHint(PublicKey key) {
    return Base64.getEncoder().encodeToString(sha256(der(key)));
  }

  private static PublicKey decodeBlock(PemObject block, int index) {
    String where = "PEM block " + index;
    return switch (block.getType()) {
      case "PUBLIC KEY" -> withContext(where, () -> SpkiDecoder.fromSpki(block.getContent()));
      case "RSA PUBLIC KEY" ->
          withContext(where, () -> SpkiDecoder.fromPkcs1Rsa(block.getContent()));
      default -> throw new InvalidPublicKeyException(where + ": " + wrongType(block.getType()));
    };
  }

  private static String wrongType(String type) {
    String message = "type " + type + " is not a PUBLIC KEY";
    if (type.contains("PRIVATE")) {
      // The likely mistake is pasting cosign.key instead of cosign.pub; say so without echoing it.
      return message + " (a private key must never be put in a policy; use cosign.pub)";
    }
    if (type.contains("CERTIFICATE")) {
      return message + " (certificates are trust material for keyless verification, not keys)";
    }
    return message;
  }

  private static PublicKey withContext(String where, Supplier<PublicKey> op) {
    try {
      return op.get();
    } catch (InvalidPublicKeyException e) {
      throw new InvalidPublicKeyException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * The JDK's re-encoding of the key: canonical DER with uncompressed EC points and explicit RSA
   * NULL parameters, the same bytes Go's {@code x509.MarshalPKIXPublicKey} produces for cosign's
   * hint, even if the PEM was encoded differently.
   */
  private static byte[] der(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der == null) {
      throw new InvalidPublicKeyException(key.getAlgorithm() + " key has no X.509 encoding");
    }
    return der;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }
}
