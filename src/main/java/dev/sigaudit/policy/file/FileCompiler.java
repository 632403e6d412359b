package dev.sigaudit.policy.file;

import dev.sigaudit.model.Severity;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.NamespaceSelector;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates one bound {@link Dto.Document} and compiles it into a {@link Policy}. Every problem
 * found is recorded with its field path; a policy with any problem is not compiled at all, since a
 * partly loaded policy would silently check less than its author wrote.
 */
final class FileCompiler {
  static final String API_VERSION = "sigaudit.dev/v1alpha1";
  static final String KIND = "SignaturePolicy";

  /** A Kubernetes DNS subdomain name: policy names end up in PolicyReports. */
  static final Pattern POLICY_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final FieldProblems problems;
  private final AttestorCompiler attestors;

  FileCompiler(AttestorCompiler attestors, FieldProblems problems) {
    this.attestors = attestors;
    this.problems = problems;
  }

  Optional<Policy> compile(Dto.Document doc) {
    expect("apiVersion", doc.apiVersion(), API_VERSION);
    expect("kind", doc.kind(), KIND);
    String name = doc.metadata() == null ? null : doc.metadata().name();
    if (doc.metadata() == null) {
      problems.add("metadata", "required, with a name");
    } else if (name == null || name.isEmpty()) {
      problems.add("metadata.name", "required");
    } else if (!validPolicyName(name)) {
      problems.add(
          "metadata.name",
          "'" + name + "' is not a valid name (lower-case letters, digits, '-' and '.')");
    }
    Dto.Spec spec = doc.spec();
    if (spec == null) {
      problems.add("spec", "required");
      return Optional.empty();
    }
    Mode mode = parseEnum("spec.mode", spec.mode(), Mode.AUDIT, Mode.class);
    Severity severity =
        parseEnum("spec.severity", spec.severity(), Severity.MEDIUM, Severity.class);
    String category = spec.category() == null ? Policy.DEFAULT_CATEGORY : spec.category().strip();
    if (category.isEmpty()) {
      problems.add(
          "spec.category", "must not be empty (omit it for \"" + Policy.DEFAULT_CATEGORY + "\")");
    }
    NamespaceSelector namespaces = Selectors.namespaces(spec.namespaces(), problems);
    List<Rule> rules = new ArrayList<>();
    if (spec.rules() == null || spec.rules().isEmpty()) {
      problems.add("spec.rules", "at least one rule is required");
    } else {
      RuleCompiler rc = new RuleCompiler(attestors, problems);
      for (int i = 0; i < spec.rules().size(); i++) {
        rc.compile("spec.rules[" + i + "]", spec.rules().get(i)).ifPresent(rules::add);
      }
    }
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Policy(name, PolicySource.SIGAUDIT_FILE, mode, severity, category, namespaces, rules));
  }

  static boolean validPolicyName(String name) {
    return name.length() <= 253 && POLICY_NAME.matcher(name).matches();
  }

  private void expect(String field, String actual, String expected) {
    if (actual == null) {
      problems.add(field, "required (" + expected + ")");
    } else if (!actual.equals(expected)) {
      problems.add(field, "expected " + expected + ", got '" + actual + "'");
    }
  }

  private <E extends Enum<E>> E parseEnum(String field, String value, E dflt, Class<E> type) {
    if (value == null) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    problems.add(field, "'" + value + "' is not one of " + String.join(", ", allowed));
    return dflt;
  }
}
