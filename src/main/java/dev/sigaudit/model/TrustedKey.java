package dev.sigaudit.model;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A public key a policy trusts, with the fingerprint reports show for it.
 *
 * @param key the parsed key (ECDSA P-256/P-384, RSA or Ed25519)
 * @param fingerprint {@code SHA256:<base64 of sha256(PKIX DER)>}, the form {@code ssh-keygen -l}
 *     and cosign's bundle {@code publicKey.hint} (without the prefix) use
 */
public record TrustedKey(PublicKey key, String fingerprint) {
  public TrustedKey {
    Objects.requireNonNull(key);
    Objects.requireNonNull(fingerprint);
  }

  @Override
  public String toString() {
    return fingerprint;
  }
}
