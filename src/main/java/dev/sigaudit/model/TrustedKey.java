package dev.sigaudit.model;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A public key a policy trusts, with the fingerprint reports show for it and how the policy reads
 * signatures made with it.
 *
 * @param key the parsed key (ECDSA P-256/P-384/P-521, RSA or Ed25519)
 * @param fingerprint {@code SHA256:<base64 of sha256(PKIX DER)>}, the form {@code ssh-keygen -l}
 *     and cosign's bundle {@code publicKey.hint} (without the prefix) use
 * @param acceptance which signatures by the key count ({@link KeyAcceptance#COSIGN} for sigaudit's
 *     own policies; an engine's reading for a policy read from the cluster)
 */
public record TrustedKey(PublicKey key, String fingerprint, KeyAcceptance acceptance) {
  public TrustedKey {
    Objects.requireNonNull(key);
    Objects.requireNonNull(fingerprint);
    Objects.requireNonNull(acceptance);
  }

  /** A key read the cosign-compatible way. */
  public TrustedKey(PublicKey key, String fingerprint) {
    this(key, fingerprint, KeyAcceptance.COSIGN);
  }

  /** The same key, read as {@code acceptance} says. */
  public TrustedKey withAcceptance(KeyAcceptance acceptance) {
    return new TrustedKey(key, fingerprint, acceptance);
  }

  @Override
  public String toString() {
    return fingerprint;
  }
}
