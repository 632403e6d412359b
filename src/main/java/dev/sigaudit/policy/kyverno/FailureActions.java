package dev.sigaudit.policy.kyverno;

import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import java.util.Locale;
import java.util.Optional;

/**
 * Kyverno's failure actions ({@code spec.validationFailureAction}, {@code
 * verifyImages[].failureAction}, {@code validate.failureAction}): {@code Audit} or {@code Enforce},
 * case-insensitively (older policies write {@code audit}/{@code enforce}).
 */
final class FailureActions {
  private FailureActions() {}

  /** The mode; empty when absent or (after a problem) not a failure action. */
  static Optional<Mode> read(Node n, ProblemLog log) {
    Optional<String> text = n.string(log);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return switch (text.get().toLowerCase(Locale.ROOT)) {
      case "audit" -> Optional.of(Mode.AUDIT);
      case "enforce" -> Optional.of(Mode.ENFORCE);
      default -> {
        log.add(n, "'" + text.get() + "' is not Audit or Enforce");
        yield Optional.empty();
      }
    };
  }
}
