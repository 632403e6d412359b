package dev.sigaudit.verify;

import java.util.Objects;

/**
 * Transparency requirements for key-based signatures (Kyverno {@code keys.rekor.ignoreTlog: false},
 * policy-controller {@code ctlog} on a key authority): with {@link TlogPolicy#REQUIRE}, a signature
 * that verifies with the key is only {@code Verified} if a Rekor entry of {@code trustedRoot}
 * proves it was logged (signed entry timestamp or inclusion proof against a signed checkpoint) and
 * the entry is for this signature, payload and key.
 *
 * @param tlog whether a verified tlog entry is required
 * @param trustedRoot the Rekor logs to trust (only its {@code tlogs} are used)
 */
public record KeyRequirements(TlogPolicy tlog, TrustedRoot trustedRoot) {
  /** The key alone decides, no tlog evidence looked at (the default for key-based policies). */
  public static final KeyRequirements SIGNATURE_ONLY =
      new KeyRequirements(
          TlogPolicy.IGNORE,
          TrustedRoot.of(
              java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of()));

  public KeyRequirements {
    Objects.requireNonNull(tlog);
    Objects.requireNonNull(trustedRoot);
  }

  /** Requires a verified entry in one of {@code trustedRoot}'s Rekor logs. */
  public static KeyRequirements requireTlog(TrustedRoot trustedRoot) {
    return new KeyRequirements(TlogPolicy.REQUIRE, trustedRoot);
  }
}
