package dev.sigaudit.policy.kyverno;

import dev.sigaudit.model.ContainerType;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.KyvernoPattern;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.Scope;
import dev.sigaudit.policy.crd.Anchors;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Translates a {@code validate} rule that constrains images, such as the registry restriction
 *
 * <pre>
 * validate:
 *   pattern:
 *     spec:
 *       containers:
 *       - image: "registry.io/* | ghcr.io/acme/*"
 *       =(initContainers):
 *       - image: "registry.io/* | ghcr.io/acme/*"
 * </pre>
 *
 * into {@link Check.ImagePattern} rules scoped to the container lists the pattern covers ({@code
 * containers} always exists; {@code =(initContainers)} and {@code =(ephemeralContainers)} apply
 * when present). Anything else in such a pattern (other fields, other anchors, {@code anyPattern},
 * {@code foreach}, {@code deny} on images) is reported, not guessed. Validate rules that do not
 * mention images at all are none of sigaudit's business and are ignored.
 */
final class PatternTranslator {
  private static final Map<String, ContainerType> LISTS =
      Map.of(
          "containers", ContainerType.REGULAR,
          "=(containers)", ContainerType.REGULAR,
          "=(initContainers)", ContainerType.INIT,
          "=(ephemeralContainers)", ContainerType.EPHEMERAL);
  private static final Pattern IMAGE_WORD = Pattern.compile("\\bimages?\\b");
  private static final List<String> OTHER_FORMS =
      List.of("anyPattern", "deny", "foreach", "cel", "assert", "manifests");

  private final ProblemLog log;

  PatternTranslator(ProblemLog log) {
    this.log = log;
  }

  /**
   * Whether the validate rule is about images (and so should be translated or reported): a pattern
   * with an {@code image} field, or another form whose text mentions images ({@code {{
   * element.image }}}, {@code images.containers}).
   */
  static boolean concernsImages(Node validate) {
    if (validate.get("pattern").mentionsField("image")) {
      return true;
    }
    return OTHER_FORMS.stream().anyMatch(f -> mentionsImages(validate.get(f)));
  }

  private static boolean mentionsImages(Node n) {
    // "image" or "images" as a word: {{ element.image }}, images.containers; not imagePullPolicy.
    return n.present() && IMAGE_WORD.matcher(n.raw().toString()).find();
  }

  List<Rule> translate(Node validate, String name, Scope scope) {
    for (String f : OTHER_FORMS) {
      if (mentionsImages(validate.get(f))) {
        log.add(validate.get(f), "image constraints in validate." + f + " are not supported");
        return List.of();
      }
    }
    Node pattern = validate.get("pattern");
    Optional<Mode> mode = FailureActions.read(validate.get("failureAction"), log);
    Optional<String> message = validate.get("message").text(log);
    if (!pattern.fields().equals(Set.of("spec"))) {
      log.add(pattern, "only patterns on spec.containers[].image are supported");
      return List.of();
    }
    Node spec = pattern.get("spec");
    Map<String, Set<ContainerType>> byPattern = new LinkedHashMap<>();
    Map<String, String> listOf = new LinkedHashMap<>();
    for (String list : spec.fields()) {
      Node items = spec.get(list);
      if (!LISTS.containsKey(list)) {
        log.add(
            items,
            "only containers, =(initContainers) and =(ephemeralContainers) are supported here");
        return List.of();
      }
      Optional<String> p = imagePattern(items);
      if (p.isEmpty()) {
        return List.of();
      }
      byPattern
          .computeIfAbsent(p.get(), k -> EnumSet.noneOf(ContainerType.class))
          .add(LISTS.get(list));
      listOf.putIfAbsent(p.get(), Anchors.key(list));
    }
    if (byPattern.isEmpty()) {
      log.add(spec, "no image pattern");
      return List.of();
    }
    List<Rule> out = new ArrayList<>();
    for (var e : byPattern.entrySet()) {
      KyvernoPattern p;
      try {
        p = new KyvernoPattern(e.getKey());
      } catch (IllegalArgumentException ex) {
        log.add(spec, ex.getMessage());
        return List.of();
      }
      // Several different patterns (one per container list) become one rule each.
      String ruleName = byPattern.size() == 1 ? name : name + "." + listOf.get(e.getKey());
      Scope s = new Scope.AllOf(List.of(scope, new Scope.Containers(e.getValue())));
      out.add(
          new Rule(ruleName, ImageMatcher.of("*"), new Check.ImagePattern(p, message), s, mode));
    }
    return out;
  }

  /** The one {@code image} pattern of {@code - image: "…"}; empty after a problem otherwise. */
  private Optional<String> imagePattern(Node items) {
    List<Node> elements = items.list(log);
    if (elements.size() != 1 || !elements.get(0).fields().equals(Set.of("image"))) {
      log.add(items, "expected exactly one element with only an image pattern: - image: \"…\"");
      return Optional.empty();
    }
    Node image = elements.get(0).get("image");
    Optional<String> p = image.string(log);
    if (p.isEmpty()) {
      log.add(image, "expected a string pattern");
    }
    return p;
  }
}
