package dev.sigaudit.verify;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;

/**
 * A signature algorithm, verified with the JDK's own providers (no BouncyCastle provider is
 * registered: the JDK implementations are constant-time and maintained, and a global provider would
 * change behaviour for the whole process).
 *
 * <p>ECDSA signatures are ASN.1 DER {@code SEQUENCE {r, s}}, as Go's {@code ecdsa.SignASN1} writes
 * them. Ed25519ph is RFC 8032 HashEdDSA with an empty context, which is what Go's {@code
 * ed25519.Sign} does with {@code Options{Hash: crypto.SHA512}}.
 */
public enum SignatureScheme {
  ECDSA_SHA224("SHA224withECDSA", false),
  ECDSA_SHA256("SHA256withECDSA", false),
  ECDSA_SHA384("SHA384withECDSA", false),
  ECDSA_SHA512("SHA512withECDSA", false),
  RSA_PKCS1_SHA256("SHA256withRSA", false),
  RSA_PKCS1_SHA384("SHA384withRSA", false),
  RSA_PKCS1_SHA512("SHA512withRSA", false),
  ED25519("Ed25519", false),
  ED25519_PH("Ed25519", true);

  private final String jcaName;
  private final boolean prehash;

  SignatureScheme(String jcaName, boolean prehash) {
    this.jcaName = jcaName;
    this.prehash = prehash;
  }

  /** The JCA algorithm name. */
  public String jcaName() {
    return jcaName;
  }

  /** A readable name, e.g. {@code SHA384withECDSA} or {@code Ed25519ph}. */
  public String label() {
    return prehash ? "Ed25519ph" : jcaName;
  }

  /**
   * A fresh, unprimed JCA {@link Signature} for this scheme. Callers initialise it for signing
   * (test fixtures) or verifying.
   */
  public Signature newSignature() throws GeneralSecurityException {
    return Signature.getInstance(jcaName);
  }

  /** Applies the Ed25519ph parameter after init (the JDK requires this order). */
  public void configure(Signature initialised) throws GeneralSecurityException {
    if (prehash) {
      initialised.setParameter(new EdDSAParameterSpec(true));
    }
  }

  /**
   * Whether {@code signature} is valid for {@code message} under {@code key}. Malformed signatures
   * (bad DER, wrong length) are simply invalid: they never throw.
   */
  public boolean verifies(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature verifier = newSignature();
      verifier.initVerify(key);
      configure(verifier);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // SignatureException for undecodable DER, InvalidKeyException for a key/scheme mismatch:
      // either way this scheme does not validate the signature.
      return false;
    }
  }
}
