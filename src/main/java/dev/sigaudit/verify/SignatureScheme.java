package dev.sigaudit.verify;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.EdDSAParameterSpec;

/**
 * A signature algorithm. ECDSA is verified with BouncyCastle's lightweight API ({@link
 * EcdsaVerifier}: the JDK's is several times slower in sigaudit's C1-only JVM), RSA and Ed25519
 * with the JDK's own providers. No BouncyCastle provider is registered: a global provider would
 * change behaviour for the whole process.
 *
 * <p>ECDSA signatures are ASN.1 DER {@code SEQUENCE {r, s}}, as Go's {@code ecdsa.SignASN1} writes
 * them. Ed25519ph is RFC 8032 HashEdDSA with an empty context, which is what Go's {@code
 * ed25519.Sign} does with {@code Options{Hash: crypto.SHA512}}.
 */
public enum SignatureScheme {
  ECDSA_SHA224("SHA224withECDSA", false, "SHA-224"),
  ECDSA_SHA256("SHA256withECDSA", false, "SHA-256"),
  ECDSA_SHA384("SHA384withECDSA", false, "SHA-384"),
  ECDSA_SHA512("SHA512withECDSA", false, "SHA-512"),
  RSA_PKCS1_SHA256("SHA256withRSA", false, null),
  RSA_PKCS1_SHA384("SHA384withRSA", false, null),
  RSA_PKCS1_SHA512("SHA512withRSA", false, null),
  ED25519("Ed25519", false, null),
  ED25519_PH("Ed25519", true, null);

  private final String jcaName;
  private final boolean prehash;

  /** For ECDSA, the digest the message is hashed with; null for the others. */
  private final String ecdsaDigest;

  SignatureScheme(String jcaName, boolean prehash, String ecdsaDigest) {
    this.jcaName = jcaName;
    this.prehash = prehash;
    this.ecdsaDigest = ecdsaDigest;
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
    if (ecdsaDigest != null) {
      // Not an EC key: the JDK answers InvalidKeyException, i.e. not valid under this scheme.
      return key instanceof ECPublicKey ec
          && EcdsaVerifier.verifies(ecdsaDigest, ec, message, signature);
    }
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
