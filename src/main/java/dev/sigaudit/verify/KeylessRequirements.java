package dev.sigaudit.verify;

import java.util.List;
import java.util.Objects;

/**
 * What a keyless signature must prove to be {@link dev.sigaudit.model.Verdict.Verified}: a
 * certificate from a Fulcio CA of {@code trustedRoot}, for one of {@code identities}, with the
 * transparency and time evidence the three policies ask for. Defaults ({@link #of}) are cosign's:
 * tlog and SCT required, timestamps optional.
 *
 * <p>Whatever the policies, a signing time must be proven (by a verified Rekor entry's integrated
 * time or an RFC 3161 timestamp) and lie within the certificate's validity: Fulcio certificates
 * live ten minutes, so without a trusted time an expired certificate says nothing. (cosign falls
 * back to the current time, which only helps certificates younger than ten minutes.)
 *
 * @param identities accepted identities; one must match
 * @param trustedRoot Fulcio CAs, Rekor logs, CT logs and TSAs to trust
 * @param tlog whether a Rekor entry is required
 * @param sct whether an embedded SCT is required
 * @param timestamp whether an RFC 3161 timestamp is required
 */
public record KeylessRequirements(
    List<KeylessIdentity> identities,
    TrustedRoot trustedRoot,
    TlogPolicy tlog,
    SctPolicy sct,
    TimestampPolicy timestamp) {
  public KeylessRequirements {
    identities = List.copyOf(identities);
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("keyless verification needs at least one identity");
    }
    Objects.requireNonNull(trustedRoot);
    Objects.requireNonNull(tlog);
    Objects.requireNonNull(sct);
    Objects.requireNonNull(timestamp);
  }

  /** cosign's defaults with the public-good trusted root. */
  public static KeylessRequirements of(List<KeylessIdentity> identities) {
    return of(identities, TrustedRoot.publicGood());
  }

  /** cosign's defaults (tlog and SCT required, timestamps optional) with {@code trustedRoot}. */
  public static KeylessRequirements of(List<KeylessIdentity> identities, TrustedRoot trustedRoot) {
    return new KeylessRequirements(
        identities, trustedRoot, TlogPolicy.REQUIRE, SctPolicy.REQUIRE, TimestampPolicy.OPTIONAL);
  }

  public KeylessRequirements withTlog(TlogPolicy policy) {
    return new KeylessRequirements(identities, trustedRoot, policy, sct, timestamp);
  }

  public KeylessRequirements withSct(SctPolicy policy) {
    return new KeylessRequirements(identities, trustedRoot, tlog, policy, timestamp);
  }

  public KeylessRequirements withTimestamp(TimestampPolicy policy) {
    return new KeylessRequirements(identities, trustedRoot, tlog, sct, policy);
  }
}
