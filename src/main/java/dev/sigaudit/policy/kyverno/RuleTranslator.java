package dev.sigaudit.policy.kyverno;

import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.Scope;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates one {@code spec.rules[i]}: its scope ({@code match}, {@code exclude}, conditions
 * sigaudit cannot evaluate) and its image checks. Compiled rule names keep the Kyverno rule name:
 * {@code <rule>} for the only {@code verifyImages} entry or the validate pattern, {@code
 * <rule>.verifyImages[j]} when there are several entries, and {@code .verifyDigest} for the digest
 * requirement of an entry.
 */
final class RuleTranslator {
  private final KeyParser keys;
  private final ProblemLog log;

  RuleTranslator(KeyParser keys, ProblemLog log) {
    this.keys = keys;
    this.log = log;
  }

  List<Rule> translate(Node rule) {
    List<Node> verify = rule.get("verifyImages").list(log);
    Node validate = rule.get("validate");
    boolean images = validate.present() && PatternTranslator.concernsImages(validate);
    if (verify.isEmpty() && !images) {
      return List.of(); // mutate, generate, or a validation that is not about images
    }
    String name = rule.get("name").text(log).orElse("");
    if (name.isEmpty()) {
      log.add(rule.get("name"), "required");
      return List.of();
    }
    MatchTranslator.Translated match = new MatchTranslator(log).translate(rule);
    if (!match.selectsPods()) {
      // Kyverno generates "autogen-" rules for Pod controllers from each Pod rule (older
      // versions write them into spec.rules); the Pod rule itself is what sigaudit evaluates.
      if (!name.startsWith("autogen-")) {
        log.add(
            rule.get("match"),
            "rule "
                + name
                + " selects no Pods: sigaudit audits running Pods (match Pod and Kyverno covers"
                + " the controllers too)");
      }
      return List.of();
    }
    Scope scope = withUnknowns(rule, match.scope());
    List<Rule> out = new ArrayList<>();
    for (int j = 0; j < verify.size(); j++) {
      String base = verify.size() == 1 ? name : name + ".verifyImages[" + j + "]";
      out.addAll(new VerifyImagesTranslator(keys, log).translate(verify.get(j), base, scope));
    }
    if (images) {
      out.addAll(new PatternTranslator(log).translate(validate, name, scope));
    }
    return out;
  }

  /** Adds the conditions sigaudit cannot evaluate, as unknown, after reporting each. */
  private Scope withUnknowns(Node rule, Scope scope) {
    List<Scope> parts = new ArrayList<>(List.of(scope));
    Node pre = rule.get("preconditions");
    if (pre.present()) {
      var decided = Preconditions.decide(pre);
      if (decided.isEmpty()) {
        log.add(pre, "not evaluated: images this rule lists are reported as errors");
        parts.add(new Scope.Unknown("the rule's preconditions are not evaluated by sigaudit"));
      } else if (!decided.get()) {
        parts.add(Scope.NOTHING); // e.g. a rule only for UPDATE requests
      }
    }
    if (rule.get("celPreconditions").present()) {
      log.add(
          rule.get("celPreconditions"),
          "not evaluated: images this rule lists are reported as errors");
      parts.add(new Scope.Unknown("the rule's celPreconditions are not evaluated by sigaudit"));
    }
    Node extractors = rule.get("imageExtractors").get("Pod");
    if (extractors.present()) {
      log.add(extractors, "custom image extractors are not supported");
      parts.add(new Scope.Unknown("the rule extracts Pod images its own way"));
    }
    return parts.size() == 1 ? scope : new Scope.AllOf(parts);
  }
}
