package dev.sigaudit.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * One rule of a compiled policy.
 *
 * @param name unique within its policy
 * @param images the images the rule applies to
 * @param check what is checked on those images
 * @param scope which Pods and containers the rule applies to, beyond the policy's namespaces
 *     (Kyverno's per-rule {@code match}/{@code exclude}); {@link Scope#EVERYTHING} for all
 * @param mode the rule's own mode when it overrides the policy's (Kyverno's {@code
 *     verifyImages[].failureAction}, {@code validate.failureAction})
 */
public record Rule(
    String name, ImageMatcher images, Check check, Scope scope, Optional<Mode> mode) {
  public Rule {
    Objects.requireNonNull(name);
    Objects.requireNonNull(images);
    Objects.requireNonNull(check);
    Objects.requireNonNull(scope);
    Objects.requireNonNull(mode);
  }

  /** A rule for every container, in its policy's mode. */
  public Rule(String name, ImageMatcher images, Check check) {
    this(name, images, check, Scope.EVERYTHING, Optional.empty());
  }
}
