package dev.sigaudit.policy.file;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Compiles the rules of one policy, checking rule names are unique within it. */
final class RuleCompiler {
  private static final Pattern RULE_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final int MAX_RULE_NAME = 63;

  private final AttestorCompiler attestors;
  private final FieldProblems problems;
  private final Map<String, String> seen = new HashMap<>();

  RuleCompiler(AttestorCompiler attestors, FieldProblems problems) {
    this.attestors = attestors;
    this.problems = problems;
  }

  Optional<Rule> compile(String field, Dto.RuleDto dto) {
    if (dto == null) {
      problems.add(field, "must not be empty");
      return Optional.empty();
    }
    int before = problems.entries().size();
    String name = name(field, dto.name());
    List<String> images = List.of();
    if (dto.images() == null || dto.images().isEmpty()) {
      problems.add(field + ".images", "at least one image pattern is required (\"*\" for all)");
    } else {
      images = Patterns.images(field + ".images", dto.images(), problems);
    }
    List<String> skip =
        dto.skipImages() == null
            ? List.of()
            : Patterns.images(field + ".skipImages", dto.skipImages(), problems);
    Check check = check(field, dto);
    if (problems.entries().size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Rule(name, ImageMatcher.sigaudit(images, skip), check));
  }

  private String name(String field, String name) {
    if (name == null || name.isEmpty()) {
      problems.add(field + ".name", "required");
    } else if (name.length() > MAX_RULE_NAME || !RULE_NAME.matcher(name).matches()) {
      problems.add(
          field + ".name",
          "'" + name + "' is not a valid rule name (up to 63 letters, digits, '-', '_', '.')");
    } else if (seen.putIfAbsent(name, field) != null) {
      problems.add(
          field + ".name", "duplicate rule name '" + name + "' (also " + seen.get(name) + ")");
    }
    return name;
  }

  private Check check(String field, Dto.RuleDto dto) {
    List<String> kinds = new ArrayList<>();
    if (dto.attestors() != null) {
      kinds.add("attestors");
    }
    if (dto.allowedRegistries() != null) {
      kinds.add("allowedRegistries");
    }
    if (dto.requireDigest() != null) {
      if (!dto.requireDigest()) {
        problems.add(field + ".requireDigest", "false is not a check; set true or remove it");
        return null;
      }
      kinds.add("requireDigest");
    }
    if (kinds.isEmpty()) {
      problems.add(field, "no check: set one of attestors, allowedRegistries, requireDigest");
      return null;
    }
    if (kinds.size() > 1) {
      problems.add(
          field, "more than one check (" + String.join(", ", kinds) + "); give each its own rule");
      return null;
    }
    if (dto.signatureRepository() != null && dto.attestors() == null) {
      problems.add(field + ".signatureRepository", "only applies to a rule with attestors");
      return null;
    }
    return switch (kinds.get(0)) {
      case "attestors" -> signatures(field, dto);
      case "allowedRegistries" -> allowed(field + ".allowedRegistries", dto.allowedRegistries());
      default -> new Check.RequireDigest();
    };
  }

  private Check signatures(String field, Dto.RuleDto dto) {
    Optional<ImageRef> repo =
        dto.signatureRepository() == null
            ? Optional.empty()
            : Optional.ofNullable(
                AttestorCompiler.repository(
                    field + ".signatureRepository", dto.signatureRepository(), problems));
    Optional<Attestors> set = attestors.attestors(field + ".attestors", dto.attestors(), problems);
    // A bad repository is already a problem, so the rule is dropped whatever is returned here.
    return set.<Check>map(s -> new Check.Signatures(List.of(s), repo)).orElse(null);
  }

  private Check allowed(String field, List<String> prefixes) {
    if (prefixes.isEmpty()) {
      problems.add(field, "at least one registry is required");
      return null;
    }
    List<String> patterns = new ArrayList<>();
    for (int i = 0; i < prefixes.size(); i++) {
      String p = Patterns.registryPrefix(field + "[" + i + "]", prefixes.get(i), problems);
      if (p != null) {
        patterns.add(p);
      }
    }
    return patterns.size() == prefixes.size() ? new Check.AllowedImages(patterns) : null;
  }
}
