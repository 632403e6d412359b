package dev.sigaudit.verify;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
    Set<Cause> kinds = EnumSet.noneOf(Cause.class);
    for (SignatureCandidate candidate : candidates) {
      try {
        return check.verify(candidate);
      } catch (Rejection r) {
        reasons.add(name(candidate) + ": " + r.getMessage());
        kinds.add(r.kind());
      } catch (RuntimeException e) {
        // A bug or an input we failed to anticipate must not abort the scan, nor read as a pass.
        reasons.add(name(candidate) + ": " + unexpected(e));
        kinds.add(Cause.SIGNATURE_REJECTED);
      }
    }
    // "Signed by another key" only when it is true of every candidate.
    return new Verdict.Rejected(
        reasons, kinds.size() == 1 ? kinds.iterator().next() : Cause.SIGNATURE_REJECTED);
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
