package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pure, offline verification core: given an image digest, the signature candidates found for it
 * and trusted keys, decides whether the image is signed. No I/O, no clock, no shared state; safe to
 * call from many threads.
 *
 * <p>Rules: no candidate is {@link Verdict.Unsigned}; the first candidate that verifies is {@link
 * Verdict.Verified}; otherwise {@link Verdict.Rejected} lists every candidate's reason, each
 * prefixed with its format and source manifest ({@code legacy-sig sha256:0123456789ab: …}). A
 * candidate's bad data is a reason, never an exception, and {@code Verified} requires both a valid
 * signature and a payload bound to this digest. An unusable trusted key is a {@link
 * Verdict.CheckError}: that is a configuration problem, not a property of the image.
 *
 * <p>Formats: {@code docs/formats.md} §1 (legacy {@code .sig}) and §2 (Sigstore bundle).
 */
public final class SignatureVerifier {
  private final LegacySignatureVerifier legacy = new LegacySignatureVerifier();
  private final BundleVerifier bundles = new BundleVerifier();

  /** Verifies {@code candidates} for {@code digest} with one trusted key. */
  public Verdict verify(Digest digest, List<SignatureCandidate> candidates, TrustedKey key) {
    return verify(digest, candidates, key, KeyRequirements.SIGNATURE_ONLY);
  }

  /**
   * Verifies {@code candidates} for {@code digest} with one trusted key and, when {@code
   * requirements} say so, a verified Rekor entry for each accepted signature ({@link
   * KeyedTlogCheck}).
   */
  public Verdict verify(
      Digest digest,
      List<SignatureCandidate> candidates,
      TrustedKey key,
      KeyRequirements requirements) {
    Objects.requireNonNull(digest);
    Objects.requireNonNull(candidates);
    Objects.requireNonNull(key);
    Objects.requireNonNull(requirements);
    try {
      KeyType.of(key.key());
    } catch (InvalidPublicKeyException e) {
      return new Verdict.CheckError(
          "trusted key " + key.fingerprint() + " unusable: " + e.getMessage());
    }
    if (candidates.isEmpty()) {
      return new Verdict.Unsigned();
    }
    List<String> reasons = new ArrayList<>();
    for (SignatureCandidate candidate : candidates) {
      CandidateResult result = check(candidate, digest, key, requirements);
      switch (result) {
        case CandidateResult.Passed passed -> {
          return new Verdict.Verified(
              candidate.format(),
              Signer.key(key.fingerprint()),
              passed.signedDigest(),
              passed.notes());
        }
        case CandidateResult.Failed failed -> reasons.add(name(candidate) + ": " + failed.reason());
      }
    }
    return new Verdict.Rejected(reasons);
  }

  /**
   * Verifies {@code candidates} for {@code digest} with each key separately; the result lists one
   * verdict per key, in the order of {@code keys}.
   */
  public List<KeyVerdict> verifyEach(
      Digest digest, List<SignatureCandidate> candidates, List<TrustedKey> keys) {
    Objects.requireNonNull(keys);
    return keys.stream().map(k -> new KeyVerdict(k, verify(digest, candidates, k))).toList();
  }

  /** Checks one candidate; reports its outcome without the candidate's name. */
  public CandidateResult check(SignatureCandidate candidate, Digest digest, TrustedKey key) {
    return check(candidate, digest, key, KeyRequirements.SIGNATURE_ONLY);
  }

  /** Checks one candidate against the key and the tlog requirement. */
  public CandidateResult check(
      SignatureCandidate candidate, Digest digest, TrustedKey key, KeyRequirements requirements) {
    Objects.requireNonNull(candidate);
    Objects.requireNonNull(digest);
    Objects.requireNonNull(key);
    Objects.requireNonNull(requirements);
    try {
      CandidateResult result =
          switch (candidate) {
            case SignatureCandidate.Legacy l -> legacy.verify(l, digest, key);
            case SignatureCandidate.Bundle b -> bundles.verify(b, digest, key);
          };
      if (result instanceof CandidateResult.Passed && requirements.tlog() == TlogPolicy.REQUIRE) {
        try {
          KeyedTlogCheck.require(candidate, key, requirements.trustedRoot());
        } catch (Rejection r) {
          return new CandidateResult.Failed(r.getMessage());
        }
      }
      return result;
    } catch (RuntimeException e) {
      // A bug or an input we failed to anticipate must not abort the whole scan, and must never
      // read as a pass: it becomes this candidate's rejection reason.
      return new CandidateResult.Failed(
          "unexpected error while checking: "
              + e.getClass().getSimpleName()
              + ": "
              + Texts.clip(e.getMessage()));
    }
  }

  private static String name(SignatureCandidate candidate) {
    return candidate.format().label() + " " + candidate.sourceManifest().shortForm();
  }
}
