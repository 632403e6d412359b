package dev.sigaudit.verify;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking one signature candidate with one key. {@link KeyVerifier} folds these
 * into a {@link dev.sigaudit.model.Verdict}.
 */
sealed interface CandidateResult {

  /**
   * The signature verified with the key and is bound to the digest being checked.
   *
   * @param signedDigest the digest the signed payload names (equal to the one checked)
   * @param scheme the signature scheme that verified
   * @param dockerReference the legacy payload's {@code critical.identity.docker-reference}: what
   *     the signer claimed the image is called. Informational only; bundles have none.
   * @param notes what was accepted only because the key's {@link dev.sigaudit.model.KeyAcceptance}
   *     follows a laxer engine (see {@link dev.sigaudit.model.Verdict.Verified#notes()})
   */
  record Passed(
      Digest signedDigest,
      SignatureScheme scheme,
      Optional<String> dockerReference,
      List<String> notes)
      implements CandidateResult {
    public Passed {
      Objects.requireNonNull(signedDigest);
      Objects.requireNonNull(scheme);
      Objects.requireNonNull(dockerReference);
      notes = List.copyOf(notes);
    }

    public Passed(Digest signedDigest, SignatureScheme scheme, Optional<String> dockerReference) {
      this(signedDigest, scheme, dockerReference, List.of());
    }
  }

  /**
   * The candidate proves nothing for this key and digest.
   *
   * @param reason what was checked, what was found and what was expected, without the candidate's
   *     name (the caller prefixes it)
   */
  record Failed(String reason, Cause kind) implements CandidateResult {
    public Failed {
      Objects.requireNonNull(reason);
      Objects.requireNonNull(kind);
    }

    public Failed(String reason) {
      this(reason, Cause.SIGNATURE_REJECTED);
    }
  }
}
