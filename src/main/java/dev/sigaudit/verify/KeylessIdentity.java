package dev.sigaudit.verify;

import java.util.Objects;

/**
 * One identity a keyless signature may carry: who signed (the certificate's subject alternative
 * name: an e-mail address, a URI such as a GitHub workflow, or Fulcio's username SAN) and which
 * OIDC issuer vouched for it. Both must match; policy-controller's {@code identities[]}, Kyverno's
 * {@code keyless} attestor and cosign's {@code --certificate-identity*} flags all have this shape.
 *
 * @param issuer how the OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8, or the deprecated
 *     .1.1) must match
 * @param subject how a SAN must match (any one SAN of the certificate, as cosign checks)
 */
public record KeylessIdentity(IdentityMatch issuer, IdentityMatch subject) {
  public KeylessIdentity {
    Objects.requireNonNull(issuer);
    Objects.requireNonNull(subject);
  }

  /** The common case: this exact issuer and this exact subject. */
  public static KeylessIdentity exact(String issuer, String subject) {
    return new KeylessIdentity(IdentityMatch.exact(issuer), IdentityMatch.exact(subject));
  }

  /** {@code issuer <issuer>, subject <subject>}, for messages. */
  public String describe() {
    return "issuer " + issuer.describe() + " and subject " + subject.describe();
  }
}
