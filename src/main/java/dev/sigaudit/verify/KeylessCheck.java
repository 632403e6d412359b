package dev.sigaudit.verify;

import dev.sigaudit.model.Signer;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The format-independent steps of keyless verification; {@link LegacyKeylessVerifier} and {@link
 * BundleKeylessVerifier} feed them the pieces of their format.
 *
 * <p>Order: the certificate first (chain, usage, SCT, identity), because a signature by an
 * untrusted certificate need not be looked at further; then, in the callers, the signature and the
 * digest binding; finally the signing time, which needs the verified signature (evidence must be
 * about it).
 */
final class KeylessCheck {
  private KeylessCheck() {}

  /**
   * A leaf that chains to Fulcio, is for code signing, was logged in CT and names an accepted
   * identity.
   *
   * @param cas the trusted-root CAs it chains to
   * @param signer the matched identity, as reports show it
   */
  record Certified(
      FulcioCertificate cert, List<TrustedRoot.CertificateAuthority> cas, Signer signer) {
    X509Certificate leaf() {
      return cert.certificate();
    }
  }

  static Certified certificate(X509Certificate leaf, KeylessRequirements req) throws Rejection {
    List<TrustedRoot.CertificateAuthority> cas =
        CertificatePaths.fulcioCas(leaf, req.trustedRoot());
    FulcioCertificate cert = FulcioCertificate.of(leaf);
    cert.requireCodeSigning();
    if (req.sct() == SctPolicy.REQUIRE) {
      TrustedRoot.CertificateAuthority ca = cas.get(0);
      X509Certificate issuer = ca.intermediates().isEmpty() ? ca.root() : ca.intermediates().get(0);
      EmbeddedScts.verify(leaf, issuer, req.trustedRoot());
    }
    Signer signer = IdentityCheck.match(cert, req.identities());
    return new Certified(cert, cas, signer);
  }

  /** Verifies the signature with the certificate's key. */
  static SignatureScheme signature(
      Certified certified, byte[] message, byte[] signature, String what) throws Rejection {
    return KeySignatures.verify(
        certified.leaf().getPublicKey(), "the certificate's key", message, signature, what);
  }

  /** Proves the signing time and checks the certificate was valid at it. */
  static void signingTime(
      Certified certified, SigningTime.Evidence evidence, KeylessRequirements req)
      throws Rejection {
    List<SigningTime.Proof> proofs = SigningTime.prove(evidence, req);
    SigningTime.requireCertificateValidAt(proofs, certified.leaf(), certified.cas());
  }

  /** The logged verifier a tlog entry must name: this certificate. */
  static RekorBody.Verifier loggedAs(X509Certificate leaf) throws Rejection {
    try {
      return new RekorBody.Verifier(true, leaf.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new Rejection("certificate cannot be encoded");
    }
  }
}
