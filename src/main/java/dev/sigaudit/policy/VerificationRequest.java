package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.TrustedKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One signature check a policy needs: are there signatures of {@code image} verifiable with {@code
 * key}? A value, so the scanner can collect the requests of every container first ({@link
 * PolicyEvaluator#requests}), verify each distinct one once, and answer from a map.
 *
 * @param image the repository at the digest to check (no tag)
 * @param key the key the signature must verify with
 * @param signatureRepository where the signatures are stored, when not next to the image
 */
public record VerificationRequest(
    ImageRef image, TrustedKey key, Optional<ImageRef> signatureRepository) {
  public VerificationRequest {
    Objects.requireNonNull(image);
    Objects.requireNonNull(key);
    Objects.requireNonNull(signatureRepository);
    if (image.digest() == null || image.tag() != null) {
      throw new IllegalArgumentException("a verification request names a digest only: " + image);
    }
  }
}
