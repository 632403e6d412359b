package dev.sigaudit.verify.testing;

import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.verify.KeyType;
import dev.sigaudit.verify.PublicKeys;
import dev.sigaudit.verify.SignatureScheme;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

/**
 * A key pair generated for a test, able to sign the way cosign does.
 *
 * @param type the key type
 * @param keyPair the generated pair
 */
public record TestKey(KeyType type, KeyPair keyPair) {

  /** The {@code cosign.pub} form of the public key. */
  public String publicPem() {
    return TestKeys.pem("PUBLIC KEY", keyPair.getPublic().getEncoded());
  }

  /** The public key as a policy would trust it, parsed from its PEM like production does. */
  public TrustedKey trustedKey() {
    List<TrustedKey> keys = PublicKeys.parsePem(publicPem());
    return keys.get(0);
  }

  /** The {@code publicKey.hint} cosign writes into bundles for this key. */
  public String bundleHint() {
    return PublicKeys.bundleHint(keyPair.getPublic());
  }

  /** Signs with the scheme cosign v3 uses for this key type (e.g. SHA-384 for P-384). */
  public byte[] sign(byte[] data) {
    return sign(data, type.cosignV3Default());
  }

  /** Signs with an explicit scheme (e.g. SHA-256 on P-384, as cosign v1/v2 did). */
  public byte[] sign(byte[] data, SignatureScheme scheme) {
    try {
      Signature signer = scheme.newSignature();
      signer.initSign(keyPair.getPrivate());
      scheme.configure(signer);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with " + scheme + " failed", e);
    }
  }

  /** Base64 (standard alphabet, padded) of {@link #sign(byte[])}. */
  public String signBase64(byte[] data) {
    return Base64.getEncoder().encodeToString(sign(data));
  }

  @Override
  public String toString() {
    return type.label();
  }
}
