package dev.sigaudit.model;

import java.util.Optional;

/**
 * Who produced a verified signature: a key (by fingerprint) or a certificate identity.
 *
 * @param description what reports show: {@code key:SHA256:<b64>} or the certificate SAN
 * @param issuer the OIDC issuer of a keyless certificate, when there is one
 */
public record Signer(String description, Optional<String> issuer) {
  public static Signer key(String fingerprint) {
    return new Signer(fingerprint, Optional.empty());
  }
}
