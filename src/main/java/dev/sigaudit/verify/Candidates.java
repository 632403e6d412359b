package dev.sigaudit.verify;

import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way the verification core turns a digest's candidates into a {@link Verdict}, whatever
 * the requirement: no candidate is {@link Verdict.Unsigned}; the first candidate that verifies is
 * {@link Verdict.Verified}; otherwise {@link Verdict.Rejected} lists every candidate's {@link
 * Rejection}, each prefixed with its format and source manifest ({@code legacy-sig
 * sha256:0123456789ab: …}). An unexpected exception is that candidate's rejection, never a pass and
 * never the end of the scan.
 */
final class Candidates {
  private Candidates() {}

  /** Checks one candidate: verified, or a {@link Rejection} saying why not. */
  @FunctionalInterface
  interface Check {
    Verdict.Verified verify(SignatureCandidate candidate) throws Rejection;
  }

  static Verdict fold(List<SignatureCandidate> candidates, Check check) {
    if (candidates.isEmpty()) {
      return new Verdict.Unsigned();
    }
    List<String> reasons = new ArrayList<>();
    for (SignatureCandidate candidate : candidates) {
      try {
        return check.verify(candidate);
      } catch (Rejection r) {
        reasons.add(name(candidate) + ": " + r.getMessage());
      } catch (RuntimeException e) {
        // A bug or an input we failed to anticipate must not abort the scan, nor read as a pass.
        reasons.add(name(candidate) + ": " + unexpected(e));
      }
    }
    return new Verdict.Rejected(reasons);
  }

  /** {@code unexpected error while checking: <type>: <message>}. */
  static String unexpected(RuntimeException e) {
    return "unexpected error while checking: "
        + e.getClass().getSimpleName()
        + ": "
        + Texts.clip(e.getMessage());
  }

  /** {@code <format> <source manifest short form>}, the prefix of a candidate's reasons. */
  static String name(SignatureCandidate candidate) {
    return candidate.format().label() + " " + candidate.sourceManifest().shortForm();
  }
}
