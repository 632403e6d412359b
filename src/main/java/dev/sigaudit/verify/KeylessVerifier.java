package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
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
 * <p>Mirrors {@link KeyVerifier#verify}: no candidate is {@link Verdict.Unsigned}; the first
 * candidate that verifies is {@link Verdict.Verified} with the certificate's SAN and OIDC issuer as
 * {@link Signer}; otherwise {@link Verdict.Rejected} lists every candidate's reason, prefixed with
 * its format and source manifest. Malformed data is a reason, never an exception. Pure and
 * thread-safe: no I/O, no clock (every time comes from signed evidence).
 */
public final class KeylessVerifier {

  /** Verifies {@code candidates} for {@code digest} against {@code requirements}. */
  public Verdict verify(
      Digest digest, List<SignatureCandidate> candidates, KeylessRequirements requirements) {
    Objects.requireNonNull(digest);
    Objects.requireNonNull(candidates);
    Objects.requireNonNull(requirements);
    if (candidates.isEmpty()) {
      return new Verdict.Unsigned();
    }
    List<String> reasons = new ArrayList<>();
    for (SignatureCandidate candidate : candidates) {
      try {
        Signer signer = check(candidate, digest, requirements);
        return new Verdict.Verified(candidate.format(), signer, digest);
      } catch (Rejection r) {
        reasons.add(name(candidate) + ": " + r.getMessage());
      } catch (RuntimeException e) {
        // A bug or an input we failed to anticipate must not abort the scan, nor read as a pass.
        reasons.add(
            name(candidate)
                + ": unexpected error while checking: "
                + e.getClass().getSimpleName()
                + ": "
                + Texts.clip(e.getMessage()));
      }
    }
    return new Verdict.Rejected(reasons);
  }

  private static Signer check(SignatureCandidate candidate, Digest digest, KeylessRequirements req)
      throws Rejection {
    return switch (candidate) {
      case SignatureCandidate.Legacy l -> LegacyKeylessVerifier.verify(l, digest, req);
      case SignatureCandidate.Bundle b -> BundleKeylessVerifier.verify(b, digest, req);
    };
  }

  static String name(SignatureCandidate candidate) {
    return candidate.format().label() + " " + candidate.sourceManifest().shortForm();
  }
}
