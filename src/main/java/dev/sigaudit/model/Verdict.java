package dev.sigaudit.model;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking one image digest against one authority.
 *
 * <p>"Not compliant" and "could not check" are different answers: a registry outage must never read
 * as unsigned, and never as verified. Only {@link Verified} is a pass.
 */
public sealed interface Verdict {

  /**
   * At least one signature verified against the trust material, for exactly this digest.
   *
   * @param notes what the verification accepted only because the policy's engine does (an
   *     attestation taken as a signature); empty for a signature a careful verifier accepts
   */
  record Verified(SignatureFormat format, Signer signer, Digest signedDigest, List<String> notes)
      implements Verdict {
    public Verified {
      Objects.requireNonNull(format);
      Objects.requireNonNull(signer);
      Objects.requireNonNull(signedDigest);
      notes = List.copyOf(notes);
    }

    public Verified(SignatureFormat format, Signer signer, Digest signedDigest) {
      this(format, signer, signedDigest, List.of());
    }
  }

  /** The registry answered, and there is no signature of any supported format. */
  record Unsigned() implements Verdict {}

  /**
   * Signatures exist but none verified; every candidate's reason is listed.
   *
   * @param kind what the reasons have in common ({@link Cause#WRONG_KEY} when every candidate was
   *     signed by another key…), {@link Cause#SIGNATURE_REJECTED} when they differ
   */
  record Rejected(List<String> reasons, Cause kind) implements Verdict {
    public Rejected {
      reasons = List.copyOf(reasons);
      Objects.requireNonNull(kind);
      if (reasons.isEmpty()) {
        throw new IllegalArgumentException("a rejection needs at least one reason");
      }
    }

    /** A rejection whose reasons have nothing more specific in common. */
    public Rejected(List<String> reasons) {
      this(reasons, Cause.SIGNATURE_REJECTED);
    }
  }

  /**
   * The check could not be completed (registry down, 401, malformed data…).
   *
   * @param cause what happened, in words
   * @param kind the same as a value, for summaries and fixes
   */
  record CheckError(String cause, Cause kind) implements Verdict {
    public CheckError {
      Objects.requireNonNull(cause);
      Objects.requireNonNull(kind);
    }

    /** A failure to check with no more specific kind. */
    public CheckError(String cause) {
      this(cause, Cause.CHECK_FAILED);
    }
  }
}
