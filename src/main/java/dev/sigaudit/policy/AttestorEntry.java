package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.TrustedKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an {@link Attestors} set: one thing that can vouch for an image.
 *
 * <p>Sealed so that keyless identities, certificates or nested sets (all of which Kyverno accepts)
 * can be added as new cases that every {@code switch} must then handle.
 */
public sealed interface AttestorEntry {

  /**
   * A signature verifiable with a public key.
   *
   * @param key the trusted key
   * @param signatureRepository where to look for signatures instead of the rule's repository (like
   *     Kyverno's per-attestor {@code repository}); empty to use the rule's
   */
  record Key(TrustedKey key, Optional<ImageRef> signatureRepository) implements AttestorEntry {
    public Key {
      Objects.requireNonNull(key);
      Objects.requireNonNull(signatureRepository);
    }

    /** A key whose signatures are stored where the rule says. */
    public static Key of(TrustedKey key) {
      return new Key(key, Optional.empty());
    }
  }
}
