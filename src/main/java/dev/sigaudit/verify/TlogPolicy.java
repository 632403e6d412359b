package dev.sigaudit.verify;

/**
 * Whether a signature must be proven to be in a Rekor transparency log.
 *
 * <p>{@link #REQUIRE} is cosign's default and Kyverno's {@code rekor.ignoreTlog: false}: at least
 * one tlog entry from a log of the trusted root must verify (its signed entry timestamp, or its
 * inclusion proof against a signed checkpoint) and must be an entry for <em>this</em> signature
 * (same signature, same certificate or key, same payload hash). With {@link #IGNORE} ({@code
 * --insecure-ignore-tlog}, {@code ignoreTlog: true}) tlog entries are not looked at at all, as
 * cosign does: a keyless signature then needs an RFC 3161 timestamp to prove its time.
 */
public enum TlogPolicy {
  REQUIRE,
  IGNORE
}
