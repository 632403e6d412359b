package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pure, offline verification core: given an image digest, the signature candidates found for it
 * and trusted keys, decides whether the image is signed. No I/O, no clock, no shared state; safe to
 * call from many threads.
 *
 * <p>Candidates are folded into a verdict as every requirement's are ({@link Candidates}). A
 * candidate's bad data is a reason, never an exception, and {@code Verified} requires both a valid
 * signature and a payload bound to this digest. An unusable trusted key is a {@link
 * Verdict.CheckError}: that is a configuration problem, not a property of the image.
 *
 * <p>The scan reaches it through {@link Verifier}, the one entry point for every {@link
 * Requirement}.
 */
final class KeyVerifier {
  private final LegacySignatureVerifier legacy = new LegacySignatureVerifier();
  private final BundleVerifier bundles = new BundleVerifier();

  /** Verifies {@code candidates} for {@code digest} with one trusted key, signature only. */
  Verdict verify(Digest digest, List<SignatureCandidate> candidates, TrustedKey key) {
    return verify(digest, candidates, key, Optional.empty());
  }

  /**
   * Verifies {@code candidates} for {@code digest} with one trusted key and, when {@code tlogsOf}
   * is present, a verified Rekor entry of that root for each accepted signature ({@link
   * KeyedTlogCheck}).
   */
  Verdict verify(
      Digest digest,
      List<SignatureCandidate> candidates,
      TrustedKey key,
      Optional<TrustedRoot> tlogsOf) {
    Objects.requireNonNull(digest);
    Objects.requireNonNull(candidates);
    Objects.requireNonNull(key);
    Objects.requireNonNull(tlogsOf);
    try {
      KeyType.of(key.key());
    } catch (InvalidPublicKeyException e) {
      return new Verdict.CheckError(
          "trusted key " + key.fingerprint() + " unusable: " + e.getMessage());
    }
    return Candidates.fold(
        candidates,
        candidate ->
            switch (check(candidate, digest, key, tlogsOf)) {
              case CandidateResult.Passed passed ->
                  new Verdict.Verified(
                      candidate.format(),
                      Signer.key(key.fingerprint()),
                      passed.signedDigest(),
                      passed.notes());
              case CandidateResult.Failed failed ->
                  throw new Rejection(failed.reason(), failed.kind());
            });
  }

  /**
   * Verifies {@code candidates} for {@code digest} with each key separately; the result lists one
   * verdict per key, in the order of {@code keys}.
   */
  List<KeyVerdict> verifyEach(
      Digest digest, List<SignatureCandidate> candidates, List<TrustedKey> keys) {
    Objects.requireNonNull(keys);
    return keys.stream().map(k -> new KeyVerdict(k, verify(digest, candidates, k))).toList();
  }

  /** Checks one candidate, signature only; reports its outcome without the candidate's name. */
  CandidateResult check(SignatureCandidate candidate, Digest digest, TrustedKey key) {
    return check(candidate, digest, key, Optional.empty());
  }

  private CandidateResult check(
      SignatureCandidate candidate, Digest digest, TrustedKey key, Optional<TrustedRoot> tlogsOf) {
    Objects.requireNonNull(candidate);
    Objects.requireNonNull(digest);
    try {
      CandidateResult result =
          switch (candidate) {
            case SignatureCandidate.Legacy l -> legacy.verify(l, digest, key);
            case SignatureCandidate.Bundle b -> bundles.verify(b, digest, key);
          };
      if (result instanceof CandidateResult.Passed && tlogsOf.isPresent()) {
        try {
          KeyedTlogCheck.require(candidate, key, tlogsOf.get());
        } catch (Rejection r) {
          return new CandidateResult.Failed(r.getMessage(), r.kind());
        }
      }
      return result;
    } catch (RuntimeException e) {
      // A bug or an input we failed to anticipate must not abort the whole scan, and must never
      // read as a pass: it becomes this candidate's rejection reason.
      return new CandidateResult.Failed(Candidates.unexpected(e));
    }
  }
}
