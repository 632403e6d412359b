package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelRuntime;
import dev.sigaudit.model.Severity;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.KeyOrigin;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.NamespaceSelector;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the {@code spec} of one policy object into a {@link Policy} with a single rule named
 * after the object (Kyverno reports an ImageValidatingPolicy's result under its own name).
 *
 * <p>Fields that do not change what sigaudit reports are ignored: {@code failurePolicy} (an error
 * is always an error result), {@code credentials} (sigaudit uses the Pod's pull secrets), {@code
 * webhookConfiguration}, {@code evaluation.admission}/{@code background} (running Pods are judged
 * as if admitted now), {@code autogen}, {@code auditAnnotations}, {@code validations[].reason}.
 *
 * <p>{@code validationConfigurations.mutateDigest} (true unless false) makes Kyverno's mutating
 * webhook pin every selected tag reference to its digest before validation ({@code
 * evaluator/policy.go MutateDigest}), so {@code verifyDigest} only fails an image when it is off.
 */
final class SpecCompiler {
  static final String SEVERITY_ANNOTATION = "policies.kyverno.io/severity";
  static final String CATEGORY_ANNOTATION = "policies.kyverno.io/category";

  private final KeyParser keys;
  private final FieldProblems problems;

  SpecCompiler(KeyParser keys, FieldProblems problems) {
    this.keys = keys;
    this.problems = problems;
  }

  Optional<Policy> compile(IvpTranslator.Header header, JsonObject object) {
    JsonObject spec = Json.object(object, "spec", "spec", problems).orElse(null);
    if (spec == null) {
      problems.add("spec", "required");
      return Optional.empty();
    }
    refuseUnsupported(spec);
    NamespaceSelector namespaces = Constraints.read(spec, header.namespace(), problems);
    ImageReferences references = ImageReferences.compile(spec, problems);
    Map<String, Attestor> attestors = new LinkedHashMap<>();
    new AttestorCompiler(keys, problems)
        .compile(spec)
        .forEach(
            (name, a) ->
                attestors.put(
                    name, a.withOrigin(new KeyOrigin.Inline(header.id(), "attestor " + name))));
    Set<String> attestations = attestationNames(spec);
    List<Validation> validations = validations(spec);
    JsonObject config =
        Json.object(spec, "validationConfigurations", "spec.validationConfigurations", problems)
            .orElse(null);
    boolean verifyDigest =
        Json.bool(config, "verifyDigest", "spec.validationConfigurations.verifyDigest", problems)
            .orElse(true);
    boolean mutateDigest =
        Json.bool(config, "mutateDigest", "spec.validationConfigurations.mutateDigest", problems)
            .orElse(true);
    boolean required =
        Json.bool(config, "required", "spec.validationConfigurations.required", problems)
            .orElse(true);
    Mode mode = Modes.of(spec, problems);
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    IvpProgram program =
        new IvpProgram(
            references,
            attestors,
            attestations,
            validations,
            verifyDigest && !mutateDigest,
            required);
    Rule rule =
        new Rule(
            header.name(),
            ImageMatcher.of("*"),
            new Check.CelValidation(
                validations.stream().map(Validation::expression).toList(), program));
    JsonObject annotations =
        Json.get(object, "metadata")
            .filter(e -> e.isJsonObject())
            .flatMap(m -> Json.get(m.getAsJsonObject(), "annotations"))
            .filter(e -> e.isJsonObject())
            .map(e -> e.getAsJsonObject())
            .orElse(null);
    return Optional.of(
        new Policy(
            header.id(),
            PolicySource.KYVERNO_IMAGE_VALIDATING,
            mode,
            severity(annotations),
            category(annotations),
            namespaces,
            List.of(rule)));
  }

  /** Fields that would change the verdict and need what sigaudit does not have. */
  private void refuseUnsupported(JsonObject spec) {
    if (Json.nonEmptyValue(spec, "matchConditions")) {
      problems.add(
          "spec.matchConditions",
          "match conditions read the admission request, which sigaudit does not have;"
              + " without them the policy would judge Pods it does not select");
    }
    if (Json.nonEmptyValue(spec, "images")) {
      problems.add(
          "spec.images",
          "custom image extractors read the admission object, which sigaudit does not have");
    }
    JsonObject evaluation =
        Json.object(spec, "evaluation", "spec.evaluation", problems).orElse(null);
    Json.nonEmpty(evaluation, "mode", "spec.evaluation.mode", problems)
        .filter(m -> !m.equals("Kubernetes"))
        .ifPresent(
            m ->
                problems.add(
                    "spec.evaluation.mode",
                    "'"
                        + m
                        + "' policies judge payloads, not Pods: nothing for sigaudit to judge"));
  }

  private Set<String> attestationNames(JsonObject spec) {
    Set<String> names = new LinkedHashSet<>();
    List<JsonObject> items = Json.objects(spec, "attestations", "spec.attestations", problems);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) != null) {
        Json.nonEmpty(items.get(i), "name", "spec.attestations[" + i + "].name", problems)
            .ifPresent(names::add);
      }
    }
    return names;
  }

  private List<Validation> validations(JsonObject spec) {
    List<Validation> out = new ArrayList<>();
    List<JsonObject> items = Json.objects(spec, "validations", "spec.validations", problems);
    if (items.isEmpty()) {
      problems.add("spec.validations", "at least one validation is required");
    }
    for (int i = 0; i < items.size(); i++) {
      String path = "spec.validations[" + i + "]";
      JsonObject v = items.get(i);
      if (v == null) {
        continue;
      }
      Optional<String> expr = Json.nonEmpty(v, "expression", path + ".expression", problems);
      Optional<String> message = Json.string(v, "message", path + ".message", problems);
      Optional<String> messageExpr =
          Json.nonEmpty(v, "messageExpression", path + ".messageExpression", problems);
      if (expr.isEmpty()) {
        problems.add(path + ".expression", "required");
        continue;
      }
      Optional<CelRuntime.Program> program =
          compile(path + ".expression", expr.get(), SimpleType.BOOL);
      Optional<CelRuntime.Program> messageProgram =
          messageExpr.flatMap(m -> compile(path + ".messageExpression", m, SimpleType.STRING));
      if (program.isPresent() && (messageExpr.isEmpty() || messageProgram.isPresent())) {
        out.add(new Validation(i, expr.get(), program.get(), message, messageProgram));
      }
    }
    return out;
  }

  private Optional<CelRuntime.Program> compile(
      String field, String expression, dev.cel.common.types.CelType type) {
    try {
      return Optional.of(CelEnv.VALIDATIONS.compile(expression, type));
    } catch (CelEnv.InvalidExpression e) {
      problems.add(
          field, "'" + Messages.oneLine(expression) + "' does not compile: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Kyverno's severity annotation; an absent or unknown value is medium, as in sigaudit files. */
  private static Severity severity(JsonObject annotations) {
    return Json.get(annotations, SEVERITY_ANNOTATION)
        .filter(e -> e.isJsonPrimitive())
        .flatMap(e -> Severity.fromWire(e.getAsString().strip().toLowerCase(Locale.ROOT)))
        .orElse(Severity.MEDIUM);
  }

  private static String category(JsonObject annotations) {
    return Json.get(annotations, CATEGORY_ANNOTATION)
        .filter(e -> e.isJsonPrimitive())
        .map(e -> e.getAsString().strip())
        .filter(s -> !s.isEmpty())
        .orElse(Policy.DEFAULT_CATEGORY);
  }
}
