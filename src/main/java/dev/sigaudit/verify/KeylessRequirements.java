package dev.sigaudit.verify;

import java.util.List;
import java.util.Objects;

/**
 * A keyless {@link Requirement} with the trusted root it is checked against: what {@link
 * KeylessVerifier} needs. A certificate from a Fulcio CA of {@code trustedRoot}, for one of the
 * requirement's identities, with the transparency and time evidence the three policies ask for.
 * Defaults ({@link #of}) are cosign's: tlog and SCT required, timestamps optional.
 *
 * <p>Whatever the policies, a signing time must be proven (by a verified Rekor entry's integrated
 * time or an RFC 3161 timestamp) and lie within the certificate's validity: Fulcio certificates
 * live ten minutes, so without a trusted time an expired certificate says nothing. (cosign falls
 * back to the current time, which only helps certificates younger than ten minutes.)
 *
 * @param requirement identities, and which tlog, SCT and timestamp evidence is required
 * @param trustedRoot Fulcio CAs, Rekor logs, CT logs and TSAs to trust
 */
record KeylessRequirements(Requirement.Keyless requirement, TrustedRoot trustedRoot) {
  public KeylessRequirements {
    Objects.requireNonNull(requirement);
    Objects.requireNonNull(trustedRoot);
  }

  /** cosign's defaults with the public-good trusted root. */
  public static KeylessRequirements of(List<KeylessIdentity> identities) {
    return of(identities, TrustedRoot.publicGood());
  }

  /** cosign's defaults (tlog and SCT required, timestamps optional) with {@code trustedRoot}. */
  public static KeylessRequirements of(List<KeylessIdentity> identities, TrustedRoot trustedRoot) {
    return new KeylessRequirements(Requirement.Keyless.of(identities), trustedRoot);
  }

  /** Accepted identities; one must match. */
  public List<KeylessIdentity> identities() {
    return requirement.identities();
  }

  /** Whether a Rekor entry is required. */
  public TlogPolicy tlog() {
    return requirement.tlog();
  }

  /** Whether an embedded SCT is required. */
  public SctPolicy sct() {
    return requirement.sct();
  }

  /** Whether an RFC 3161 timestamp is required. */
  public TimestampPolicy timestamp() {
    return requirement.timestamp();
  }

  public KeylessRequirements withTlog(TlogPolicy policy) {
    return new KeylessRequirements(
        new Requirement.Keyless(identities(), policy, sct(), timestamp()), trustedRoot);
  }

  public KeylessRequirements withSct(SctPolicy policy) {
    return new KeylessRequirements(
        new Requirement.Keyless(identities(), tlog(), policy, timestamp()), trustedRoot);
  }

  public KeylessRequirements withTimestamp(TimestampPolicy policy) {
    return new KeylessRequirements(
        new Requirement.Keyless(identities(), tlog(), sct(), policy), trustedRoot);
  }
}
