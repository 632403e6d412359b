package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one entry point of the verification core: the signature candidates of a digest, checked
 * against a {@link Requirement} and the scan's trusted root. Pure, offline and thread-safe; what
 * each kind of requirement checks is in {@link KeyVerifier} and {@link KeylessVerifier}.
 *
 * <p>Verdicts: no candidate is {@link Verdict.Unsigned}; the first candidate that verifies is
 * {@link Verdict.Verified}; otherwise {@link Verdict.Rejected} with every candidate's reason; a
 * requirement that cannot be checked (an unusable key) is {@link Verdict.CheckError}.
 */
public final class Verifier {
  private final TrustedRoot trustedRoot;
  private final Digest trustedRootDigest;
  private final KeyVerifier keys = new KeyVerifier();
  private final KeylessVerifier keyless = new KeylessVerifier();

  /**
   * @param trustedRoot the Fulcio CAs, Rekor and CT logs and TSAs keyless signatures and tlog
   *     requirements are checked against
   */
  public Verifier(TrustedRoot trustedRoot) {
    this.trustedRoot = Objects.requireNonNull(trustedRoot);
    this.trustedRootDigest = trustedRoot.digest();
  }

  /** Verifies {@code candidates} for {@code digest} against {@code requirement}. */
  public Verdict verify(
      Digest digest, List<SignatureCandidate> candidates, Requirement requirement) {
    return switch (requirement) {
      case Requirement.Key k ->
          keys.verify(
              digest,
              candidates,
              k.key(),
              k.tlog() == TlogPolicy.REQUIRE ? Optional.of(trustedRoot) : Optional.empty());
      case Requirement.Keyless k -> keyless.verify(digest, candidates, k.against(trustedRoot));
    };
  }

  /**
   * The digest of the trusted root's canonical form ({@link TrustedRoot#digest()}): a verdict
   * computed under one root says nothing under another, so cached verdicts are keyed by it.
   */
  public Digest trustedRootDigest() {
    return trustedRootDigest;
  }
}
