package dev.sigaudit.policy;

import dev.sigaudit.model.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A compiled, validated policy: what every policy source (sigaudit's file, Kyverno, policy-
 * controller) is translated into before evaluation.
 *
 * @param name unique among the loaded policies of one source
 * @param source where it came from
 * @param mode what its engine does on a violation (informational for sigaudit)
 * @param severity the severity of its findings
 * @param category the category of its findings
 * @param namespaces the namespaces it applies to
 * @param rules its rules, in order; at least one, names unique
 */
public record Policy(
    String name,
    PolicySource source,
    Mode mode,
    Severity severity,
    String category,
    NamespaceSelector namespaces,
    List<Rule> rules) {

  /** The category used when a source does not name one. */
  public static final String DEFAULT_CATEGORY = "Image Signatures";

  public Policy {
    Objects.requireNonNull(name);
    Objects.requireNonNull(source);
    Objects.requireNonNull(mode);
    Objects.requireNonNull(severity);
    Objects.requireNonNull(category);
    Objects.requireNonNull(namespaces);
    rules = List.copyOf(rules);
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("policy " + name + " has no rules");
    }
    var names = new HashSet<String>();
    for (Rule r : rules) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("policy " + name + " has two rules named " + r.name());
      }
    }
  }
}
