package dev.sigaudit.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The judgement of one policy rule on one container image: one PolicyReport result, one CSV row.
 *
 * <p>A finding names its policy and rule by their names only, so report writers never need the
 * policy model.
 *
 * @param policy the policy name
 * @param rule the rule name, or {@link #NO_RULE} for the one {@link Result#SKIP} a policy gives
 *     when none of its rules applies to the image
 * @param result pass, fail, error or skip
 * @param message why, in one line: action, subject, cause
 * @param severity the policy's severity
 * @param category the policy's category
 * @param source where the policy came from ({@code sigaudit-file}, {@code kyverno}…)
 * @param evidence the signatures that verified, for a pass of a signature rule; otherwise empty
 * @param engineNotes where the result is the decision of the policy's engine although a careful
 *     verifier would decide otherwise (an attestation accepted as a signature…): one sentence each,
 *     so that the divergence is visible (a PolicyReport property, a CSV column), never silent
 * @param cause why a fail failed or an error could not decide, as a value; for those results never
 *     empty (the {@link Cause#generic generic} cause when the check said no more), for the others
 *     always empty
 */
public record Finding(
    String policy,
    String rule,
    Result result,
    String message,
    Severity severity,
    String category,
    String source,
    List<Evidence> evidence,
    List<String> engineNotes,
    Optional<Cause> cause) {

  /** The rule name of a policy-level finding. */
  public static final String NO_RULE = "";

  public Finding {
    Objects.requireNonNull(policy);
    Objects.requireNonNull(rule);
    Objects.requireNonNull(result);
    Objects.requireNonNull(message);
    Objects.requireNonNull(severity);
    Objects.requireNonNull(category);
    Objects.requireNonNull(source);
    evidence = List.copyOf(evidence);
    engineNotes = List.copyOf(engineNotes);
    Objects.requireNonNull(cause);
    cause =
        result == Result.FAIL || result == Result.ERROR
            ? cause.or(() -> Cause.generic(result))
            : Optional.empty();
  }

  /** A finding whose cause, if any, is the generic one of its result. */
  public Finding(
      String policy,
      String rule,
      Result result,
      String message,
      Severity severity,
      String category,
      String source,
      List<Evidence> evidence,
      List<String> engineNotes) {
    this(
        policy,
        rule,
        result,
        message,
        severity,
        category,
        source,
        evidence,
        engineNotes,
        Optional.empty());
  }

  /** This finding with another message (the same cause). */
  public Finding withMessage(String newMessage) {
    return new Finding(
        policy, rule, result, newMessage, severity, category, source, evidence, engineNotes, cause);
  }

  /** A finding that reports exactly what a careful verifier decides. */
  public Finding(
      String policy,
      String rule,
      Result result,
      String message,
      Severity severity,
      String category,
      String source,
      List<Evidence> evidence) {
    this(policy, rule, result, message, severity, category, source, evidence, List.of());
  }

  /** The first signature that verified, which reports show. */
  public Optional<Evidence> primaryEvidence() {
    return evidence.stream().findFirst();
  }

  /**
   * One signature that verified.
   *
   * @param format where the signature was stored
   * @param signer who signed (the key fingerprint for keyed signatures)
   */
  public record Evidence(SignatureFormat format, Signer signer) {
    public Evidence {
      Objects.requireNonNull(format);
      Objects.requireNonNull(signer);
    }
  }
}
