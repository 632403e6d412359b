package dev.sigaudit.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Which signatures made with a trusted key count, as the policy that trusts the key reads them.
 *
 * <p>Two readings exist because cosign and the admission engines disagree. Cosign ≥ 2 signs a P-384
 * key with SHA-384, P-521 with SHA-512 and Ed25519 as Ed25519ph, older cosign used SHA-256 and pure
 * Ed25519; a careful reader of sigaudit's own policy files accepts either ({@link #COSIGN}).
 * Kyverno and policy-controller load the key with sigstore's {@code signature.LoadVerifier(key,
 * hash)} and accept exactly one scheme: ECDSA or RSA PKCS#1 v1.5 with the policy's hash (SHA-256
 * unless it names another), pure Ed25519 whatever the hash ({@link #engine}). A policy read from
 * the cluster must be judged the second way, or sigaudit reports "ready" for images the engine
 * rejects.
 *
 * @param engineHash the hash the engine verifies with; empty for the cosign-compatible reading
 * @param attestationsAsSignatures whether a Sigstore bundle counts whatever its in-toto predicate
 *     (an SBOM or provenance attestation signed by the key): Kyverno's {@code SigstoreBundle} rules
 *     and ImageValidatingPolicies do; a verdict that relies on it carries a note
 */
public record KeyAcceptance(Optional<HashAlgorithm> engineHash, boolean attestationsAsSignatures) {
  /** sigaudit's own reading: any scheme cosign may have signed with, signing predicate only. */
  public static final KeyAcceptance COSIGN = new KeyAcceptance(Optional.empty(), false);

  public KeyAcceptance {
    Objects.requireNonNull(engineHash);
  }

  /** An engine's reading: exactly {@code LoadVerifier(key, hash)}. */
  public static KeyAcceptance engine(HashAlgorithm hash, boolean attestationsAsSignatures) {
    return new KeyAcceptance(Optional.of(hash), attestationsAsSignatures);
  }

  /**
   * What distinguishes this reading in verdict identifiers: empty for {@link #COSIGN}, else e.g.
   * {@code /sha256} or {@code /sha256+attestations}. Two readings of one key may give different
   * verdicts, so they must never share one.
   */
  public String idSuffix() {
    if (this.equals(COSIGN)) {
      return "";
    }
    return engineHash.map(h -> "/" + h.label()).orElse("/cosign")
        + (attestationsAsSignatures ? "+attestations" : "");
  }
}
