package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import java.util.List;
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
 * @param reading which of the candidates in {@code formats} the policy's engine reads ({@link
 *     #select})
 */
public record VerificationRequest(
    ImageRef image,
    Authority authority,
    Optional<ImageRef> signatureRepository,
    Set<SignatureFormat> formats,
    Reading reading) {

  /** Which signatures an engine reads among those in the accepted formats. */
  public enum Reading {
    /** All of them (sigaudit files, Kyverno ClusterPolicy, policy-controller). */
    ALL,
    /**
     * Kyverno's ImageValidatingPolicy: if the image has any Sigstore bundle, from whoever and of
     * whatever predicate, only bundles are verified and the {@code .sig} is never read; without
     * one, only the {@code .sig} ({@code ivpol/cosign/verifier.go
     * buildCheckOptsWithBundleDetection}).
     */
    BUNDLES_WHEN_PRESENT
  }

  public VerificationRequest(
      ImageRef image,
      Authority authority,
      Optional<ImageRef> signatureRepository,
      Set<SignatureFormat> formats) {
    this(image, authority, signatureRepository, formats, Reading.ALL);
  }

  public VerificationRequest {
    Objects.requireNonNull(image);
    Objects.requireNonNull(authority);
    Objects.requireNonNull(signatureRepository);
    Objects.requireNonNull(reading);
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

  /**
   * The candidates the policy's engine verifies, of those found: the ones in {@link #formats}, and
   * with {@link Reading#BUNDLES_WHEN_PRESENT} only the bundles among them when there is one.
   */
  public List<SignatureCandidate> select(List<SignatureCandidate> candidates) {
    List<SignatureCandidate> inFormats =
        candidates.stream().filter(c -> formats.contains(c.format())).toList();
    if (reading == Reading.BUNDLES_WHEN_PRESENT
        && inFormats.stream().anyMatch(c -> c instanceof SignatureCandidate.Bundle)) {
      return inFormats.stream().filter(c -> c instanceof SignatureCandidate.Bundle).toList();
    }
    return inFormats;
  }

  /**
   * What names this request's verdict among those for the same signatures: the authority, and how
   * the engine reads the candidates (formats aside, which callers add).
   */
  public String verdictId() {
    return authority.id() + readingId();
  }

  /** How the engine reads the candidates, as a suffix of a verdict's id (empty for all). */
  public String readingId() {
    return reading == Reading.ALL ? "" : "/" + reading.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether every format counts. */
  public boolean acceptsAllFormats() {
    return formats.containsAll(AttestorEntry.ALL_FORMATS);
  }
}
