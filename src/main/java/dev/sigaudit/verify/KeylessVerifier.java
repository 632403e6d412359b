package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * Keyless ("identity-based") verification of cosign signatures, offline: the signing certificate
 * chains to a Fulcio CA of the trusted root, was logged in certificate transparency, names an
 * accepted identity, signed this image's payload, and was valid when the signature was made, as
 * proven by a Rekor entry or an RFC 3161 timestamp (<a
 * href="https://github.com/sigstore/architecture-docs/blob/main/client-spec.md">Sigstore client
 * spec</a>, "Verification"; cosign {@code pkg/cosign/verify.go}; sigstore-go {@code pkg/verify}).
 *
 * <p>Candidates are folded into a verdict as every requirement's are ({@link Candidates}); a
 * verified one names the certificate's SAN and OIDC issuer as {@link Signer}. Malformed data is a
 * reason, never an exception. Pure and thread-safe: no I/O, no clock (every time comes from signed
 * evidence).
 */
final class KeylessVerifier {

  /** Verifies {@code candidates} for {@code digest} against {@code requirements}. */
  public Verdict verify(
      Digest digest, List<SignatureCandidate> candidates, KeylessRequirements requirements) {
    Objects.requireNonNull(digest);
    Objects.requireNonNull(candidates);
    Objects.requireNonNull(requirements);
    return Candidates.fold(
        candidates,
        candidate ->
            new Verdict.Verified(
                candidate.format(), check(candidate, digest, requirements), digest));
  }

  private static Signer check(SignatureCandidate candidate, Digest digest, KeylessRequirements req)
      throws Rejection {
    return switch (candidate) {
      case SignatureCandidate.Legacy l -> LegacyKeylessVerifier.verify(l, digest, req);
      case SignatureCandidate.Bundle b -> BundleKeylessVerifier.verify(b, digest, req);
    };
  }
}
