package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a rule checks on an image it applies to. Each rule has exactly one kind of check. */
public sealed interface Check {

  /**
   * The image's running digest must be signed: every attestor set must be satisfied.
   *
   * @param attestors the sets, all required (Kyverno's {@code attestors[]} list)
   * @param signatureRepository where signatures are stored, when not next to the image (cosign's
   *     {@code COSIGN_REPOSITORY}, Kyverno's {@code repository}); a repository, without tag or
   *     digest
   */
  record Signatures(List<Attestors> attestors, Optional<ImageRef> signatureRepository)
      implements Check {
    public Signatures {
      attestors = List.copyOf(attestors);
      Objects.requireNonNull(signatureRepository);
      if (attestors.isEmpty()) {
        throw new IllegalArgumentException("a signature check needs at least one attestor set");
      }
      signatureRepository.ifPresent(
          r -> {
            if (r.tag() != null || r.digest() != null) {
              throw new IllegalArgumentException(
                  "a signature repository has no tag or digest: " + r);
            }
          });
    }
  }

  /**
   * The image must match one of {@code patterns} ({@link Wildcard} semantics on the same spellings
   * as {@link ImageMatcher}); a registry allow-list, or Kyverno's {@code validate.pattern} on
   * {@code spec.containers[].image}.
   */
  record AllowedImages(List<String> patterns) implements Check {
    public AllowedImages {
      patterns = List.copyOf(patterns);
      if (patterns.isEmpty()) {
        throw new IllegalArgumentException("an allow-list needs at least one pattern");
      }
    }
  }

  /** The Pod spec must name the image by digest ({@code name@sha256:…}), not by tag alone. */
  record RequireDigest() implements Check {}

  /**
   * The image, exactly as written in the Pod spec, must satisfy a Kyverno pattern: Kyverno's {@code
   * validate.pattern} on {@code spec.containers[].image}. Unlike {@link AllowedImages} this
   * compares the unnormalized text ({@code nginx} does not match {@code docker.io/*} in Kyverno)
   * and supports Kyverno's {@code |}, {@code &} and {@code !}.
   *
   * @param pattern the pattern
   * @param message the policy's own failure message, when it has one
   */
  record ImagePattern(KyvernoPattern pattern, Optional<String> message) implements Check {
    public ImagePattern {
      Objects.requireNonNull(pattern);
      Objects.requireNonNull(message);
    }
  }
}
