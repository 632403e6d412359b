package dev.sigaudit.verify;

/**
 * Whether an RFC 3161 timestamp from a timestamping authority of the trusted root is required. With
 * {@link #OPTIONAL}, timestamps that are present are still verified and count as evidence of the
 * signing time; {@link #REQUIRE} is cosign's {@code --use-signed-timestamps} / a policy-controller
 * {@code rfc3161timestamp} / Kyverno {@code tsaCertChain}.
 */
public enum TimestampPolicy {
  OPTIONAL,
  REQUIRE
}
