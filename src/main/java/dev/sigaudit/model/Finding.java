package dev.sigaudit.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One policy rule's judgement of one container.
 *
 * @param source who owns the policy: {@code sigaudit} (own file), {@code kyverno}, {@code
 *     policy-controller}
 * @param message why, in words a person acts on (for pass: what verified)
 * @param format the signature format that verified (pass) or was examined
 * @param signer who signed, for a pass
 */
public record Finding(
    String source,
    String policy,
    String rule,
    Result result,
    String message,
    Severity severity,
    String category,
    Optional<SignatureFormat> format,
    Optional<Signer> signer) {
  public Finding {
    Objects.requireNonNull(source);
    Objects.requireNonNull(policy);
    Objects.requireNonNull(rule);
    Objects.requireNonNull(result);
    Objects.requireNonNull(message);
    Objects.requireNonNull(severity);
    Objects.requireNonNull(category);
  }
}
