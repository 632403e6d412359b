package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One signature check a policy needs: are there signatures of {@code image}, in one of {@code
 * formats}, verifiable with {@code key}? A value, so the scanner can collect the requests of every
 * container first ({@link PolicyEvaluator#requests}), verify each distinct one once, and answer
 * from a map.
 *
 * @param image the repository at the digest to check (no tag)
 * @param authority the key or keyless identity the signature must verify with
 * @param signatureRepository where the signatures are stored, when not next to the image
 * @param formats the signature formats that count; signatures in other formats must be ignored (a
 *     Kyverno {@code Cosign} rule never sees a bundle, so a bundle must not make it pass)
 */
public record VerificationRequest(
    ImageRef image,
    Authority authority,
    Optional<ImageRef> signatureRepository,
    Set<SignatureFormat> formats) {
  public VerificationRequest {
    Objects.requireNonNull(image);
    Objects.requireNonNull(authority);
    Objects.requireNonNull(signatureRepository);
    formats = Set.copyOf(formats);
    if (image.digest() == null || image.tag() != null) {
      throw new IllegalArgumentException("a verification request names a digest only: " + image);
    }
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("a verification request accepts at least one format");
    }
  }

  /** A request for a key. */
  public VerificationRequest(
      ImageRef image,
      TrustedKey key,
      Optional<ImageRef> signatureRepository,
      Set<SignatureFormat> formats) {
    this(image, new Authority.Key(key), signatureRepository, formats);
  }

  /** A request for a key, accepting every signature format. */
  public VerificationRequest(
      ImageRef image, TrustedKey key, Optional<ImageRef> signatureRepository) {
    this(image, key, signatureRepository, AttestorEntry.ALL_FORMATS);
  }

  /** The key, for a key request. */
  public java.util.Optional<TrustedKey> key() {
    return authority instanceof Authority.Key k ? Optional.of(k.key()) : Optional.empty();
  }

  /** Whether every format counts. */
  public boolean acceptsAllFormats() {
    return formats.containsAll(AttestorEntry.ALL_FORMATS);
  }
}
