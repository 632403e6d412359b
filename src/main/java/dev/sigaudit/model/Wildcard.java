package dev.sigaudit.model;

/**
 * Wildcard matching with the semantics Kyverno applies to {@code imageReferences}, {@code
 * skipImageReferences} and namespace names.
 *
 * <p>Kyverno ({@code ext/wildcard/match.go}) delegates to {@code github.com/IGLOU-EU/go-wildcard}
 * v1.0.3 ({@code Match}, the MinIO matcher). Its rules, reproduced here:
 *
 * <ul>
 *   <li>{@code *} matches any sequence of characters, including the empty one <em>and {@code /},
 *       {@code :} and {@code @}</em>: the text is a flat string, not a path;
 *   <li>{@code ?} matches exactly one character (any, {@code /} included);
 *   <li>every other character, {@code .} included, matches only itself (case-sensitive);
 *   <li>there is no escaping and there are no character classes;
 *   <li>the whole text must match; the empty pattern matches only the empty text.
 * </ul>
 *
 * <p>Characters are Unicode code points, as Go's runes. go-wildcard v2 changed {@code ?} to "zero
 * or one" and made {@code .} a wildcard; Kyverno still pins v1.0.3, and so do we.
 */
public final class Wildcard {
  private Wildcard() {}

  /** Whether {@code text} matches {@code pattern} as a whole. */
  public static boolean matches(String pattern, String text) {
    int[] p = pattern.codePoints().toArray();
    int[] t = text.codePoints().toArray();
    // Greedy matching that remembers only the last '*': when a later comparison fails, that
    // star absorbs one more character and matching resumes after it. Earlier stars never need
    // to be revisited, which keeps the worst case at O(|p|·|t|) instead of exponential.
    int pi = 0;
    int ti = 0;
    int starP = -1;
    int starT = 0;
    while (ti < t.length) {
      if (pi < p.length && p[pi] == '*') {
        starP = ++pi;
        starT = ti;
      } else if (pi < p.length && (p[pi] == '?' || p[pi] == t[ti])) {
        pi++;
        ti++;
      } else if (starP >= 0) {
        pi = starP;
        ti = ++starT;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] == '*') {
      pi++;
    }
    return pi == p.length;
  }

  /** Whether {@code text} contains a wildcard character. */
  public static boolean hasWildcard(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }
}
