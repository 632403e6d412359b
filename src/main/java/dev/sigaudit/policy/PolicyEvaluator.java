package dev.sigaudit.policy;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates compiled policies on one container image. Pure: all signature answers come from the
 * {@link VerdictSource}.
 *
 * <p>For each policy whose {@link NamespaceSelector} selects the namespace (others give nothing):
 * rules whose {@link Scope} excludes the container are left out as if the namespace were not
 * selected; of the others, one {@link Finding} per rule whose {@link ImageMatcher} applies to the
 * image (an {@link Result#ERROR} when the rule's scope is {@link Truth#UNKNOWN}); when no rule
 * applies, exactly one {@link Result#SKIP} finding with rule {@link Finding#NO_RULE}, saying why.
 * So every policy that covers a container accounts for its image, and a skip always means "the
 * policy was considered and none of its rules applied".
 */
public final class PolicyEvaluator {
  private final VerdictSource verdicts;
  private final Optional<UnknownDigest> unknownDigest;

  public PolicyEvaluator(VerdictSource verdicts) {
    this(verdicts, Optional.empty());
  }

  /**
   * An evaluator for a target whose running digest could not be found out, for {@code
   * unknownDigest}'s reason: the errors for want of it take that cause.
   */
  public PolicyEvaluator(VerdictSource verdicts, Optional<UnknownDigest> unknownDigest) {
    this.verdicts = Objects.requireNonNull(verdicts);
    this.unknownDigest = Objects.requireNonNull(unknownDigest);
  }

  /**
   * Why a target's digest is unknown (its tag could not be resolved, say).
   *
   * @param cause the cause of that failure ({@link Cause#PLAIN_HTTP}…)
   * @param why the failure, in words
   */
  public record UnknownDigest(Cause cause, String why) {
    public UnknownDigest {
      Objects.requireNonNull(cause);
      Objects.requireNonNull(why);
    }
  }

  /** The findings of every policy on {@code target}, in policy then rule order. */
  public List<Finding> evaluate(List<Policy> policies, AuditTarget target) {
    List<Finding> out = new ArrayList<>();
    for (Policy p : policies) {
      out.addAll(evaluate(p, target));
    }
    return out;
  }

  /**
   * The findings of {@code policy} on {@code target}; empty when it does not select the namespace,
   * or when no rule's {@link Scope} can include the container.
   */
  public List<Finding> evaluate(Policy policy, AuditTarget target) {
    if (!policy.namespaces().selects(target.namespace(), target.namespaceLabels())) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    List<String> notListed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean considered = false;
    for (Rule rule : policy.rules()) {
      List<String> unknown = new ArrayList<>();
      Truth inScope = rule.scope().test(target, unknown);
      if (inScope == Truth.FALSE) {
        // Like a namespace the policy does not select: this rule says nothing about the Pod.
        continue;
      }
      considered = true;
      switch (applies(rule, target)) {
        case MATCHED ->
            out.add(
                inScope == Truth.TRUE
                    ? evaluate(policy, rule, target)
                    : finding(policy, rule.name(), unknownScope(rule, target, unknown)));
        case NOT_LISTED -> {
          notListed.add(rule.name());
          if (rule.images().selectsOnlyIgnoringHostCase(target.image())) {
            notes.add(
                "rule "
                    + rule.name()
                    + " would apply to "
                    + target.image()
                    + " if the registry host were compared without case; the policy's engine"
                    + " compares it byte for byte and does not apply the rule to this image");
          }
        }
        case SKIPPED -> skipped.add(rule.name());
      }
    }
    if (out.isEmpty() && considered) {
      out.add(
          finding(
              policy,
              Finding.NO_RULE,
              new Outcome(Result.SKIP, skipMessage(target, notListed, skipped), List.of(), notes)));
    }
    return out;
  }

  /**
   * The signature checks {@link #evaluate(List, AuditTarget)} would ask the verdict source about,
   * without asking: for the scanner to verify each distinct request once, before evaluating. Empty
   * when the digest is unknown.
   */
  public static Set<VerificationRequest> requests(List<Policy> policies, AuditTarget target) {
    Set<VerificationRequest> out = new LinkedHashSet<>();
    var digest = target.digest();
    if (digest.isEmpty()) {
      return out;
    }
    ImageRef subject = target.image().atDigest(digest.get());
    for (Policy p : policies) {
      if (!p.namespaces().selects(target.namespace(), target.namespaceLabels())) {
        continue;
      }
      for (Rule r : p.rules()) {
        if (r.scope().test(target, new ArrayList<>()) != Truth.TRUE
            || applies(r, target) != ImageMatcher.Outcome.MATCHED) {
          continue;
        }
        if (r.check() instanceof Check.Signatures s) {
          out.addAll(SignatureEvaluation.requests(s, subject));
        } else if (r.check() instanceof Check.CelValidation c) {
          out.addAll(c.program().requests(target));
        }
      }
    }
    return out;
  }

  private Finding evaluate(Policy policy, Rule rule, AuditTarget target) {
    Outcome o =
        switch (rule.check()) {
          case Check.Signatures s -> SignatureEvaluation.evaluate(s, target, verdicts);
          case Check.AllowedImages a -> ImageChecks.allowed(a, target.image());
          case Check.RequireDigest d -> ImageChecks.pinned(target);
          case Check.CelValidation c -> celValidation(c, target, verdicts);
          case Check.ImagePattern ip -> ImageChecks.pattern(ip, target);
        };
    return finding(policy, rule.name(), o);
  }

  /**
   * Whether {@code rule} applies to {@code image}: its patterns, narrowed by a CEL program's own
   * image selection (which patterns cannot express, e.g. Kyverno's {@code matchImageReferences}
   * expressions).
   */
  private static ImageMatcher.Outcome applies(Rule rule, AuditTarget target) {
    ImageMatcher.Outcome o = rule.images().test(target);
    if (o == ImageMatcher.Outcome.MATCHED
        && rule.check() instanceof Check.CelValidation c
        && !c.program().selects(target.image())) {
      return ImageMatcher.Outcome.NOT_LISTED;
    }
    return o;
  }

  /** A program that throws despite its contract has failed to judge: an error, never a pass. */
  private static Outcome celValidation(
      Check.CelValidation check, AuditTarget target, VerdictSource verdicts) {
    try {
      Check.CelValidation.Judgement j = check.program().evaluate(target, verdicts);
      return new Outcome(
          j.result(), j.message(), j.evidence(), j.engineNotes(), j.cause(), j.toDo());
    } catch (RuntimeException e) {
      return Outcome.of(
          Result.ERROR, "evaluating the validations of " + target.image() + " failed: " + e);
    }
  }

  private Finding finding(Policy policy, String rule, Outcome o) {
    Optional<Cause> cause = o.cause().or(() -> Cause.generic(o.result()));
    String detail = o.message();
    if (o.result() == Result.ERROR
        && unknownDigest.isPresent()
        && cause.filter(c -> c == Cause.DIGEST_UNKNOWN || c == Cause.CHECK_FAILED).isPresent()) {
      // An error for want of the digest has the cause that kept the digest unknown.
      detail = detail + " (" + unknownDigest.get().why() + ")";
      cause = Optional.of(unknownDigest.get().cause());
    }
    String message =
        cause.isEmpty() ? detail : cause.get().message(detail, toDo(o.result(), cause.get(), o));
    return new Finding(
        policy.name(),
        rule,
        o.result(),
        message,
        policy.severity(),
        policy.category(),
        policy.source().label(),
        o.evidence(),
        o.engineNotes(),
        cause);
  }

  /**
   * What ends a fail or error message: for a fail, what the check requires to pass (the key or
   * identity to sign with); for an error, the fix of what kept sigaudit from deciding (the same
   * per-cause fixes as the summary), since signing again would not remove it.
   */
  private static Optional<String> toDo(Result result, Cause cause, Outcome o) {
    return result == Result.ERROR ? cause.remedy() : o.toDo().or(cause::remedy);
  }

  /** The rule lists the image, but whether it covers this Pod depends on what is not known. */
  private static Outcome unknownScope(Rule rule, AuditTarget target, List<String> unknown) {
    return Outcome.of(
        Result.ERROR,
        "cannot tell whether rule "
            + rule.name()
            + " applies to image "
            + target.image()
            + ": "
            + String.join("; ", unknown));
  }

  private static String skipMessage(
      AuditTarget target, List<String> notListed, List<String> skipped) {
    List<String> why = new ArrayList<>();
    if (!notListed.isEmpty()) {
      why.add("not in the images of " + String.join(", ", notListed));
    }
    if (!skipped.isEmpty()) {
      why.add("in the skipImages of " + String.join(", ", skipped));
    }
    return "no rule applies to image " + target.image() + ": " + String.join("; ", why);
  }
}
