package dev.sigaudit.policy.ivp;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.Remedies;
import dev.sigaudit.policy.VerdictSource;
import dev.sigaudit.policy.VerificationRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled ImageValidatingPolicy, judging one container image at a time.
 *
 * <p>In order, as Kyverno 1.19 does for a Pod: an image {@code matchImageReferences} does not
 * select is not judged; with {@code validationConfigurations.verifyDigest} (default true) and
 * without {@code mutateDigest} (which pins tags at admission, default true) an image the spec does
 * not pin by digest fails; then every validation is evaluated. Any false validation makes the
 * policy FAIL (with the first one's message), else any error makes it ERROR, else, with {@code
 * validationConfigurations.required} (default true), an image no {@code verifyImageSignatures} call
 * verified fails; else it passes.
 *
 * <p>Kyverno stops at the first validation that does not pass, so an error before a false one is an
 * error there; sigaudit evaluates them all and reports the failure, which no unknown can undo.
 */
final class IvpProgram implements Check.CelValidation.Program {
  private final ImageReferences references;
  private final Map<String, Attestor> attestors;
  private final Set<String> attestations;
  private final List<Validation> validations;

  /**
   * {@code verifyDigest} and not {@code mutateDigest}: a tag reference stays a tag at admission.
   */
  private final boolean verifyDigest;

  private final boolean required;

  IvpProgram(
      ImageReferences references,
      Map<String, Attestor> attestors,
      Set<String> attestations,
      List<Validation> validations,
      boolean verifyDigest,
      boolean required) {
    this.references = references;
    // Policy order: requests and messages follow the order the author wrote.
    this.attestors = Collections.unmodifiableMap(new LinkedHashMap<>(attestors));
    this.attestations = Set.copyOf(attestations);
    this.validations = List.copyOf(validations);
    this.verifyDigest = verifyDigest;
    this.required = required;
  }

  ImageReferences references() {
    return references;
  }

  Map<String, Attestor> attestors() {
    return attestors;
  }

  Set<String> attestations() {
    return attestations;
  }

  @Override
  public boolean selects(ImageRef image) {
    return !(references.select(image) instanceof ImageReferences.Selection.NotSelected);
  }

  /**
   * Every key attestor of the policy for the target's digest: which of them an expression uses is
   * only known while evaluating, and verifying a key nobody asks about costs no registry request.
   */
  @Override
  public List<VerificationRequest> requests(AuditTarget target) {
    Optional<Digest> digest = target.digest();
    if (digest.isEmpty()
        || !(references.select(target.image()) instanceof ImageReferences.Selection.Selected)) {
      return List.of();
    }
    ImageRef subject = target.image().atDigest(digest.get());
    List<VerificationRequest> out = new ArrayList<>();
    out.add(imageData(subject));
    for (Attestor a : attestors.values()) {
      switch (a) {
        case Attestor.Key k -> out.add(k.request(subject));
        case Attestor.Unsupported u -> u.presence(subject).ifPresent(out::add);
        case Attestor.Keyless k -> {}
      }
    }
    return out;
  }

  @Override
  public Check.CelValidation.Judgement evaluate(AuditTarget target, VerdictSource verdicts) {
    return judge(target, verdicts);
  }

  /** The causes that say a signature is what is missing or wrong: signing is then the fix. */
  private static final Set<Cause> SIGNATURE_CAUSES =
      EnumSet.of(
          Cause.UNSIGNED,
          Cause.WRONG_KEY,
          Cause.WRONG_IDENTITY,
          Cause.BUNDLE_NOT_READ,
          Cause.LEGACY_NOT_READ,
          Cause.SIGNATURE_REJECTED);

  /**
   * Who must sign: the policy's signing attestors, with where they are written. Which of them an
   * image needs is up to the validations' expressions, so several are listed as such.
   */
  private Optional<String> toDo() {
    List<String> signers = new ArrayList<>();
    attestors.values().forEach(a -> a.signer().ifPresent(signers::add));
    return signers.size() <= 1
        ? Remedies.signWith(signers, 1)
        : Remedies.signAsRequired("the validations", signers);
  }

  private Check.CelValidation.Judgement judge(AuditTarget target, VerdictSource verdicts) {
    String subject = describe(target);
    switch (references.select(target.image())) {
      case ImageReferences.Selection.NotSelected n -> {
        return judgement(Result.SKIP, subject + ": not selected by matchImageReferences", null);
      }
      case ImageReferences.Selection.Failed f -> {
        return judgement(Result.ERROR, subject + ": " + f.why(), null);
      }
      case ImageReferences.Selection.Selected s -> {}
    }
    if (!(verifyDigest && target.image().digest() == null)) {
      Optional<Verdict.CheckError> unreadable = unreadable(target, verdicts);
      if (unreadable.isPresent()) {
        // Kyverno fetches every selected image's data before any validation; a registry it
        // cannot read makes the policy's result an error, whatever the validations say.
        return new Check.CelValidation.Judgement(
            Result.ERROR,
            subject + ": could not read the image from its registry: " + unreadable.get().cause(),
            List.of(),
            List.of(),
            Optional.of(unreadable.get().kind()));
      }
    }
    Evaluation evaluation = new Evaluation(this, target, verdicts);
    List<Validation.Outcome> outcomes = new ArrayList<>();
    for (Validation v : validations) {
      outcomes.add(v.judge(evaluation));
    }
    Verdicts.Folded folded = Verdicts.fold(outcomes, evaluation, required);
    if (verifyDigest && target.image().digest() == null) {
      // Kyverno fails such an image before evaluating anything; the validations are still
      // evaluated here so that the report also says what the signatures are.
      return judgement(
          Result.FAIL,
          subject
              + ": the Pod spec names "
              + target.image()
              + " without a digest (validationConfigurations.verifyDigest); the validations"
              + " alone would "
              + folded.result().wire()
              + ": "
              + folded.message(),
          null);
    }
    Optional<Cause> cause = evaluation.cause(folded.result());
    var judgement =
        new Check.CelValidation.Judgement(
            folded.result(),
            subject + ": " + folded.message(),
            folded.evidence(),
            folded.engineNotes(),
            cause);
    // A failed expression about something else (a registry, a label) is not fixed by signing.
    boolean signing = folded.unverified() || cause.filter(SIGNATURE_CAUSES::contains).isPresent();
    return folded.result() == Result.FAIL && signing ? judgement.toDo(toDo()) : judgement;
  }

  private static Check.CelValidation.Judgement judgement(
      Result result, String message, Evaluation evaluation) {
    return new Check.CelValidation.Judgement(
        result, message, evaluation == null ? List.of() : evaluation.evidence());
  }

  /**
   * Whether the signatures next to the image can be read, standing in for Kyverno's prefetch of the
   * image data ({@code evaluator/policy.go Evaluate}, {@code ictx.Get}).
   */
  private static VerificationRequest imageData(ImageRef subject) {
    return new VerificationRequest(
        subject,
        new Authority.Presence("the image's data", true),
        Optional.empty(),
        AttestorEntry.ALL_FORMATS);
  }

  /** Why the image's registry could not be read, if it could not. */
  private static Optional<Verdict.CheckError> unreadable(
      AuditTarget target, VerdictSource verdicts) {
    if (target.digest().isEmpty()) {
      return Optional.empty();
    }
    Verdict v;
    try {
      v = verdicts.verdict(imageData(target.image().atDigest(target.digest().get())));
    } catch (RuntimeException e) {
      return Optional.of(new Verdict.CheckError("verification failed unexpectedly: " + e));
    }
    return v instanceof Verdict.CheckError e && !e.cause().equals(Authority.Presence.SIGNED)
        ? Optional.of(e)
        : Optional.empty();
  }

  /** {@code repository@sha256:0123456789ab} when the digest is known, else the spec reference. */
  static String describe(AuditTarget target) {
    return target
        .digest()
        .map(d -> target.image().name() + "@" + d.shortForm())
        .orElse(target.image().toString());
  }
}
