package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Signer;
import java.util.List;

/**
 * Keyless verification of a cosign v3 Sigstore bundle: the leaf in {@code
 * verificationMaterial.certificate} (v0.3) or first in {@code x509CertificateChain} (v0.1/v0.2; the
 * rest is not trusted), {@code tlogEntries} with inclusion promise and/or proof, and {@code
 * timestampVerificationData.rfc3161Timestamps}; {@code docs/formats.md} §2.
 *
 * <p>The tlog entry must be the {@code dsse} entry cosign uploads: this envelope signature, this
 * certificate, and the SHA-256 of the DSSE payload (sigstore-go {@code VerifyTlogEntry}).
 */
final class BundleKeylessVerifier {
  private BundleKeylessVerifier() {}

  static Signer verify(SignatureCandidate.Bundle candidate, Digest digest, KeylessRequirements req)
      throws Rejection {
    SigstoreBundle bundle = SigstoreBundle.parse(candidate.bundleJson());
    DsseEnvelope envelope = BundleVerifier.dsse(bundle);
    byte[] leafDer =
        switch (bundle.material()) {
          case SigstoreBundle.Material.Certificate c -> c.der();
          case SigstoreBundle.Material.CertificateChain c -> {
            if (c.der().isEmpty()) {
              throw new Rejection("verificationMaterial.x509CertificateChain is empty");
            }
            yield c.der().get(0);
          }
          case SigstoreBundle.Material.PublicKey pk ->
              throw new Rejection(
                  "bundle is signed with a key (verificationMaterial.publicKey), not keyless");
        };
    KeylessCheck.Certified certified =
        KeylessCheck.certificate(Certificates.fromDer(leafDer, "bundle certificate"), req);

    byte[] signature = BundleVerifier.onlySignature(envelope);
    KeylessCheck.signature(certified, envelope.pae(), signature, "DSSE PAE");
    BundleVerifier.checkStatement(envelope, digest);

    List<TlogEntry> entries = req.tlog() == TlogPolicy.REQUIRE ? bundle.tlogEntries() : List.of();
    TlogCheck.Binding binding =
        new TlogCheck.Binding(
            RekorBody.DSSE,
            signature,
            KeylessCheck.loggedAs(certified.leaf()),
            Digest.sha256(envelope.payload()).hex());
    KeylessCheck.signingTime(
        certified,
        new SigningTime.Evidence(entries, bundle.rfc3161Timestamps(), binding, signature),
        req);
    return certified.signer();
  }
}
