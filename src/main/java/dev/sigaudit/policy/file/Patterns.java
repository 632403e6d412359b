package dev.sigaudit.policy.file;

import dev.sigaudit.model.Wildcard;
import dev.sigaudit.policy.FieldProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Validates image patterns and registry prefixes as written in a policy file. */
final class Patterns {
  private Patterns() {}

  /**
   * The patterns of {@code images} or {@code skipImages}, with a problem for each that can never
   * match. Images are matched with their registry ({@code docker.io/library/nginx:1.27}), so a
   * pattern whose first path segment is not a registry host (e.g. {@code nginx:*}) would silently
   * match nothing; we refuse it and suggest the full name.
   */
  static List<String> images(String field, List<String> patterns, FieldProblems problems) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      String f = field + "[" + i + "]";
      String p = patterns.get(i);
      if (p == null || p.isBlank()) {
        problems.add(f, "must not be empty");
      } else if (p.strip().chars().anyMatch(Character::isWhitespace)) {
        problems.add(f, "'" + p + "' contains whitespace");
      } else if (!startsWithRegistryOrWildcard(p.strip())) {
        problems.add(
            f,
            "'"
                + p
                + "' never matches: images are matched with their registry, e.g."
                + " docker.io/library/nginx:1.27; write '"
                + suggestion(p.strip())
                + "'");
      } else {
        out.add(p.strip());
      }
    }
    return out;
  }

  /**
   * A registry prefix of {@code allowedRegistries} as a {@link Wildcard} pattern. {@code ghcr.io},
   * {@code ghcr.io/} and {@code ghcr.io/acme/} allow the repositories below them on a path-segment
   * boundary ({@code ghcr.io/acme/} does not allow {@code ghcr.io/acmecorp/x}); returns null after
   * recording a problem.
   */
  static String registryPrefix(String field, String prefix, FieldProblems problems) {
    if (prefix == null || prefix.isBlank()) {
      problems.add(field, "must not be empty");
      return null;
    }
    String p = prefix.strip();
    if (Wildcard.hasWildcard(p) || p.chars().anyMatch(Character::isWhitespace) || p.contains("@")) {
      problems.add(
          field, "'" + p + "' is not a registry prefix (no wildcards, spaces, tags or digests)");
      return null;
    }
    String path = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    int slash = path.indexOf('/');
    String host = slash < 0 ? path : path.substring(0, slash);
    if (!isHost(host)) {
      problems.add(
          field,
          "'" + p + "' does not start with a registry host; write e.g. 'docker.io/" + path + "/'");
      return null;
    }
    if (slash >= 0 && path.substring(slash).contains(":")) {
      problems.add(field, "'" + p + "' is not a registry prefix (no tags or digests)");
      return null;
    }
    return path + "/*";
  }

  private static boolean startsWithRegistryOrWildcard(String p) {
    int slash = p.indexOf('/');
    int wild = firstWildcard(p);
    if (wild >= 0 && (slash < 0 || wild < slash)) {
      // The registry part itself is a pattern ("*", "*.gcr.io/x", "ghcr*"), unless what precedes
      // the wildcard already ends a name without registry ("nginx:*", "nginx@sha256:*").
      String literal = p.substring(0, wild);
      int end = indexOfAny(literal, ":@");
      return end < 0 || isHostLike(literal.substring(0, end));
    }
    return slash > 0 && isHost(p.substring(0, slash));
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** A host before a port: has a dot, or is {@code localhost}. */
  private static boolean isHostLike(String s) {
    return s.contains(".") || s.equals("localhost");
  }

  private static int firstWildcard(String p) {
    int star = p.indexOf('*');
    int q = p.indexOf('?');
    return star < 0 ? q : q < 0 ? star : Math.min(star, q);
  }

  /** The rule of distribution/reference: a dot, a port, {@code localhost}, or upper case. */
  private static boolean isHost(String s) {
    return s.contains(".")
        || s.contains(":")
        || s.equals("localhost")
        || !s.equals(s.toLowerCase(Locale.ROOT));
  }

  private static String suggestion(String p) {
    return "docker.io/" + (p.contains("/") ? "" : "library/") + p;
  }
}
