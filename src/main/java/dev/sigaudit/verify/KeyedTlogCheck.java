package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.TrustedKey;
import java.util.List;

/**
 * The transparency-log requirement for key-based signatures (cosign without {@code
 * --insecure-ignore-tlog}, Kyverno {@code rekor.ignoreTlog: false}): a Rekor entry from a log of
 * the trusted root must verify and log this signature, this public key and this payload. Called
 * only after the signature verified with the key and names the digest.
 */
final class KeyedTlogCheck {
  private KeyedTlogCheck() {}

  static void require(SignatureCandidate candidate, TrustedKey key, TrustedRoot root)
      throws Rejection {
    RekorBody.Verifier loggedKey = new RekorBody.Verifier(false, key.key().getEncoded());
    List<TlogEntry> entries;
    TlogCheck.Binding binding;
    switch (candidate) {
      case SignatureCandidate.Legacy l -> {
        entries =
            l.rekorBundle().isPresent()
                ? List.of(TlogEntries.fromLegacyAnnotation(l.rekorBundle().get()))
                : List.of();
        binding =
            new TlogCheck.Binding(
                RekorBody.HASHEDREKORD,
                Encodings.standardBase64(l.signatureBase64(), "signature annotation"),
                loggedKey,
                Digest.sha256(l.payload()).hex());
      }
      case SignatureCandidate.Bundle b -> {
        SigstoreBundle bundle = SigstoreBundle.parse(b.bundleJson());
        DsseEnvelope envelope = BundleVerifier.dsse(bundle);
        entries = bundle.tlogEntries();
        binding =
            new TlogCheck.Binding(
                RekorBody.DSSE,
                BundleVerifier.onlySignature(envelope),
                loggedKey,
                Digest.sha256(envelope.payload()).hex());
      }
    }
    TlogCheck.Outcome outcome = TlogCheck.check(entries, binding, root);
    if (outcome.verified().isEmpty()) {
      throw new Rejection(
          "signature verified with key "
              + key.fingerprint()
              + " but no transparency-log entry"
              + " proves it was logged ("
              + (entries.isEmpty()
                  ? "the signature has none"
                  : String.join("; ", outcome.skipped()))
              + "); the policy requires one");
    }
  }
}
