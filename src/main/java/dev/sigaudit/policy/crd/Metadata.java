package dev.sigaudit.policy.crd;

import dev.sigaudit.model.Severity;
import dev.sigaudit.policy.Policy;
import java.util.Locale;
import java.util.Map;

/**
 * Severity and category of a cluster policy, from the annotations Kyverno's reports also use
 * ({@code policies.kyverno.io/severity}, {@code policies.kyverno.io/category}); the defaults of
 * sigaudit's own policies otherwise.
 */
public final class Metadata {
  public static final String SEVERITY = "policies.kyverno.io/severity";
  public static final String CATEGORY = "policies.kyverno.io/category";

  private Metadata() {}

  /** The severity annotation, case-insensitively; medium when absent or not a severity. */
  public static Severity severity(Map<String, String> annotations) {
    String s = annotations.getOrDefault(SEVERITY, "");
    return Severity.fromWire(s.strip().toLowerCase(Locale.ROOT)).orElse(Severity.MEDIUM);
  }

  /** The category annotation; {@link Policy#DEFAULT_CATEGORY} when absent or blank. */
  public static String category(Map<String, String> annotations) {
    String c = annotations.getOrDefault(CATEGORY, "").strip();
    return c.isEmpty() ? Policy.DEFAULT_CATEGORY : c;
  }
}
