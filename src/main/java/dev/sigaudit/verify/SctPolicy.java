package dev.sigaudit.verify;

/**
 * Whether a keyless certificate must carry a valid embedded SCT (RFC 6962 signed certificate
 * timestamp) from a CT log of the trusted root, proving the certificate was published. {@link
 * #IGNORE} is cosign's {@code --insecure-ignore-sct}, Kyverno's {@code ctlog.ignoreSCT} and
 * policy-controller's {@code insecureIgnoreSCT}.
 */
public enum SctPolicy {
  REQUIRE,
  IGNORE
}
