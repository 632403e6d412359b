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

  /** Signatures exist but none verified; every candidate's reason is listed. */
  record Rejected(List<String> reasons) implements Verdict {
    public Rejected {
      reasons = List.copyOf(reasons);
      if (reasons.isEmpty()) {
        throw new IllegalArgumentException("a rejection needs at least one reason");
      }
    }
  }

  /** The check could not be completed (registry down, 401, malformed data…). */
  record CheckError(String cause) implements Verdict {
    public CheckError {
      Objects.requireNonNull(cause);
    }
  }
}
