package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Wildcard;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The spellings of one image reference that a pattern is matched against.
 *
 * <p>Kyverno matches the string {@code registry/path:tag}, or {@code registry/path@digest} when
 * there is a digest (the tag is dropped), with {@code docker.io/} added to a name without registry
 * but <em>without</em> the {@code library/} prefix ({@code nginx} reads {@code
 * docker.io/nginx:latest}). {@link ImageRef} normalizes further ({@code
 * docker.io/library/nginx:latest}) and keeps both tag and digest. A pattern written for either
 * convention must select the same images, because they are the same images; so a pattern matches a
 * reference if it matches any of these spellings. They all name the same artifact, so accepting any
 * of them never makes a pattern select a different image.
 */
final class ImageNames {
  private ImageNames() {}

  static List<String> spellings(ImageRef ref) {
    List<String> names = new ArrayList<>(2);
    names.add(ref.name());
    String repo = ref.repository();
    if (ref.registry().equals(ImageRef.DOCKER_HUB)
        && repo.startsWith("library/")
        && repo.indexOf('/', "library/".length()) < 0) {
      names.add(ImageRef.DOCKER_HUB + "/" + repo.substring("library/".length()));
    }
    List<String> suffixes = new ArrayList<>(3);
    String tag = ref.tag();
    String digest = ref.digest() == null ? null : "@" + ref.digest();
    if (tag != null && digest != null) {
      suffixes.add(":" + tag + digest);
      suffixes.add(digest);
      suffixes.add(":" + tag);
    } else if (digest != null) {
      suffixes.add(digest);
    } else {
      suffixes.add(":" + (tag == null ? "latest" : tag));
    }
    List<String> out = new ArrayList<>(names.size() * suffixes.size());
    for (String n : names) {
      for (String s : suffixes) {
        out.add(n + s);
      }
    }
    return out;
  }

  /**
   * As {@link #anyMatches}, but the registry host is compared without regard to case, as DNS
   * compares it ({@code LOCALHOST:5000/app} is {@code localhost:5000/app}). sigaudit's own policy
   * files match this way; the engines do not (Kyverno's wildcard, its CEL globs and
   * policy-controller's globs compare the host byte for byte), so translated cluster policies keep
   * {@link #anyMatches}.
   */
  static boolean anyMatchesIgnoringHostCase(List<String> patterns, ImageRef ref) {
    if (patterns.isEmpty()) {
      return false;
    }
    // Asked for every rule and image of a scan: an already lower-case host (nearly every one) is
    // not parsed and validated again.
    String host = ref.registry().toLowerCase(Locale.ROOT);
    ImageRef lower =
        host.equals(ref.registry())
            ? ref
            : new ImageRef(host, ref.repository(), ref.tag(), ref.digest());
    return anyMatches(patterns.stream().map(ImageNames::lowerHost).toList(), lower);
  }

  /** Whether {@code ref}'s host matches a pattern only when case is ignored. */
  static boolean matchesOnlyIgnoringHostCase(List<String> patterns, ImageRef ref) {
    return !anyMatches(patterns, ref) && anyMatchesIgnoringHostCase(patterns, ref);
  }

  /** The pattern with its first segment (the host, when it names one) in lower case. */
  private static String lowerHost(String pattern) {
    int slash = pattern.indexOf('/');
    return slash < 0
        ? pattern
        : pattern.substring(0, slash).toLowerCase(Locale.ROOT) + pattern.substring(slash);
  }

  /** Whether any of {@code patterns} matches any spelling of {@code ref}. */
  static boolean anyMatches(List<String> patterns, ImageRef ref) {
    if (patterns.isEmpty()) {
      return false;
    }
    List<String> spellings = spellings(ref);
    for (String pattern : patterns) {
      for (String s : spellings) {
        if (Wildcard.matches(pattern, s)) {
          return true;
        }
      }
    }
    return false;
  }
}
