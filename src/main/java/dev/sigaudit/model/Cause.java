package dev.sigaudit.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a check did not pass, as a value: the short cause a person reads first ({@code unsigned},
 * {@code registry unreachable: plain-HTTP registry}), and for a cause the user can remove by
 * configuring sigaudit or the cluster, the fix. The full story stays in the finding's message; this
 * is what summaries group by, so it is set where the cause is known (a verdict, a registry failure)
 * and never recovered from message text.
 *
 * <p>Causes of a {@link Result#FAIL} say what is wrong with the image; causes of a {@link
 * Result#ERROR} say what kept sigaudit from deciding.
 */
public enum Cause {
  // What is wrong with the image (fail).
  UNSIGNED("unsigned", Result.FAIL, null),
  WRONG_KEY("signed by another key", Result.FAIL, null),
  WRONG_IDENTITY("signed by another identity", Result.FAIL, null),
  BUNDLE_NOT_READ("bundle format this policy does not read", Result.FAIL, null),
  LEGACY_NOT_READ(".sig format this policy does not read", Result.FAIL, null),
  SIGNATURE_REJECTED("signature rejected", Result.FAIL, null),
  IMAGE_NOT_ALLOWED("image not allowed by the policy", Result.FAIL, null),
  NOT_PINNED("not pinned by digest", Result.FAIL, null),
  POLICY_FAILED("policy check failed", Result.FAIL, null),

  // What kept sigaudit from deciding (error).
  PLAIN_HTTP(
      "registry unreachable: plain-HTTP registry",
      Result.ERROR,
      "add --insecure-registry HOST:PORT for a registry that serves plain HTTP"),
  UNREACHABLE(
      "registry unreachable",
      Result.ERROR,
      "check the registry and the network path from where sigaudit runs"),
  UNAUTHORIZED(
      "registry refused the credentials",
      Result.ERROR,
      "give credentials: --docker-config FILE, or --pull-secrets"),
  RATE_LIMITED(
      "registry rate limit",
      Result.ERROR,
      "lower --registry-concurrency, or keep verdicts with --cache-file"),
  REGISTRY_ERROR(
      "registry error",
      Result.ERROR,
      "correct what the registry answered; run sigaudit explain NAMESPACE/KIND/NAME to see every"
          + " lookup"),
  DEADLINE(
      "scan deadline reached",
      Result.ERROR,
      "raise --deadline (and the CronJob's activeDeadlineSeconds), or use --cache-file"),
  DIGEST_UNKNOWN(
      "running digest unknown",
      Result.ERROR,
      "pin the image by digest in the Pod spec, or let sigaudit read the Pod's status (imageID)"),
  IMAGE_UNPARSEABLE(
      "image reference does not parse",
      Result.ERROR,
      "correct the image reference in the Pod spec"),
  SIGNER_NOT_CHECKABLE(
      "signed, but sigaudit cannot check the signer",
      Result.ERROR,
      "name the signer by a public key or keyless identity sigaudit can read, or check it with the"
          + " policy's own engine"),
  UNSUPPORTED(
      "policy feature sigaudit cannot check",
      Result.ERROR,
      "check this requirement with the policy's own engine (kyverno test, policy-tester)"),
  CHECK_FAILED(
      "could not check",
      Result.ERROR,
      "run sigaudit explain NAMESPACE/KIND/NAME to see every lookup and check");

  private final String label;
  private final Result result;
  private final String fix;

  Cause(String label, Result result, String fix) {
    this.label = label;
    this.result = result;
    this.fix = fix;
  }

  /** The short cause, lower case, as summaries print it first. */
  public String label() {
    return label;
  }

  /** The result this cause explains: {@link Result#FAIL} or {@link Result#ERROR}. */
  public Result result() {
    return result;
  }

  /** What the user can do about it, when it is theirs to fix. */
  public Optional<String> fix() {
    return Optional.ofNullable(fix);
  }

  /**
   * A fail or error message as reports show it: this cause first, so that a reader sees why before
   * the detail; then the detail (subject and what was found); then what to do, when known. The one
   * place the shape is decided, so that PolicyReports, CSV, {@code explain} and {@code verify} read
   * alike.
   *
   * @param detail what was found, without the cause ({@code repo@sha256:…: 0 of 1 key verified…})
   * @param toDo one sentence, {@code To pass: …} or {@code To fix: …}; empty when nothing is known
   */
  public String message(String detail, Optional<String> toDo) {
    String d = detail.strip();
    String end = toDo.map(t -> (d.endsWith(".") ? " " : ". ") + t).orElse("");
    return label + ": " + d + end;
  }

  /** {@code To fix: <fix>.}, for a cause the user can remove by configuration. */
  public Optional<String> remedy() {
    return fix().map(f -> "To fix: " + f + ".");
  }

  /** The stable machine name ({@code plain-http}, {@code wrong-key}…), for JSON and YAML. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The generic cause of a result whose checks did not say more. */
  public static Optional<Cause> generic(Result result) {
    return switch (result) {
      case FAIL -> Optional.of(POLICY_FAILED);
      case ERROR -> Optional.of(CHECK_FAILED);
      default -> Optional.empty();
    };
  }
}
