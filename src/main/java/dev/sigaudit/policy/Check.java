package dev.sigaudit.policy;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Wildcard;
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
   * Validations written in CEL, compiled by the policy source that defines their meaning (Kyverno's
   * {@code ImageValidatingPolicy}: {@code dev.sigaudit.policy.ivp}). The {@link Program} decides
   * which images it applies to, which signature checks it needs and what the result is; the
   * evaluator only asks it. The program lives behind an interface so that this package does not
   * depend on a CEL engine.
   *
   * @param expressions the validation expressions as written, for reports and debugging
   * @param program the compiled validations
   */
  record CelValidation(List<String> expressions, Program program) implements Check {
    public CelValidation {
      expressions = List.copyOf(expressions);
      Objects.requireNonNull(program);
      if (expressions.isEmpty()) {
        throw new IllegalArgumentException("a CEL validation needs at least one expression");
      }
    }

    /** A compiled set of validations: immutable, safe to share between threads. */
    public interface Program {
      /**
       * Whether the validations apply to {@code image} (the reference as written in the Pod spec).
       * True when that cannot be decided (a selection expression that fails), so that {@link
       * #evaluate} runs and reports why.
       */
      boolean selects(ImageRef image);

      /**
       * Every signature check {@link #evaluate} may ask for on {@code target}, so the scanner can
       * make them all before evaluating; {@code evaluate} never asks for another. Empty when the
       * target's digest is unknown.
       */
      List<VerificationRequest> requests(AuditTarget target);

      /** Judges {@code target}. Never throws: a failure to judge is an {@link Result#ERROR}. */
      Judgement evaluate(AuditTarget target, VerdictSource verdicts);
    }

    /**
     * What a {@link Program} concluded.
     *
     * @param result PASS, FAIL or ERROR (SKIP when asked about an image it does not select)
     * @param message one line: subject, outcome, cause
     * @param evidence the signatures that verified, for a pass
     * @param engineNotes what the engine accepted that a careful verifier would not ({@link
     *     Finding#engineNotes()})
     * @param cause why it did not pass, when the program knows ({@link Finding#cause()})
     * @param toDo what would make it pass ({@code To pass: sign it with key …}), when known
     */
    public record Judgement(
        Result result,
        String message,
        List<Finding.Evidence> evidence,
        List<String> engineNotes,
        Optional<Cause> cause,
        Optional<String> toDo) {
      public Judgement {
        Objects.requireNonNull(result);
        Objects.requireNonNull(message);
        evidence = List.copyOf(evidence);
        engineNotes = List.copyOf(engineNotes);
        Objects.requireNonNull(cause);
        Objects.requireNonNull(toDo);
      }

      public Judgement(
          Result result,
          String message,
          List<Finding.Evidence> evidence,
          List<String> engineNotes,
          Optional<Cause> cause) {
        this(result, message, evidence, engineNotes, cause, Optional.empty());
      }

      /** The same judgement, ending with {@code sentence} as what to do. */
      public Judgement toDo(Optional<String> sentence) {
        return new Judgement(result, message, evidence, engineNotes, cause, sentence);
      }

      public Judgement(
          Result result,
          String message,
          List<Finding.Evidence> evidence,
          List<String> engineNotes) {
        this(result, message, evidence, engineNotes, Optional.empty());
      }

      public Judgement(Result result, String message, List<Finding.Evidence> evidence) {
        this(result, message, evidence, List.of());
      }
    }
  }

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
