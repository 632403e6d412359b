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
  REGISTRY_ERROR("registry error", Result.ERROR, null),
  DEADLINE(
      "scan deadline reached",
      Result.ERROR,
      "raise --deadline (and the CronJob's activeDeadlineSeconds), or use --cache-file"),
  DIGEST_UNKNOWN("running digest unknown", Result.ERROR, null),
  IMAGE_UNPARSEABLE("image reference does not parse", Result.ERROR, null),
  SIGNER_NOT_CHECKABLE("signed, but sigaudit cannot check the signer", Result.ERROR, null),
  UNSUPPORTED("policy feature sigaudit cannot check", Result.ERROR, null),
  CHECK_FAILED("could not check", Result.ERROR, null);

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
