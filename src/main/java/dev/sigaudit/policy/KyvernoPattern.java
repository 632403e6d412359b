package dev.sigaudit.policy;

import dev.sigaudit.model.Wildcard;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A string value of a Kyverno {@code validate.pattern}, as Kyverno's {@code pkg/engine/pattern}
 * compares it with a string in the resource (here: an image as written in the Pod spec):
 *
 * <ul>
 *   <li>a value equal to the whole pattern matches;
 *   <li>otherwise the pattern is split on {@code |} into alternatives (any may match), each split
 *       on {@code &} into terms (all must match), spaces around each trimmed;
 *   <li>a term is a {@link Wildcard} pattern, or {@code !} followed by one (must not match).
 * </ul>
 *
 * <p>The numeric operators ({@code >}, {@code <}, {@code >=}, {@code <=}, ranges {@code a-b},
 * {@code a!-b}) never hold for an image reference in Kyverno; a pattern using them is refused so
 * that a translator reports it instead of compiling a rule that can only fail.
 *
 * @param text the pattern as written in the policy
 */
public record KyvernoPattern(String text) {
  private static final Pattern RANGE =
      Pattern.compile("[-|+]?\\d+(?:\\.\\d+)?[A-Za-z]*!?-[-|+]?\\d+(?:\\.\\d+)?[A-Za-z]*");

  public KyvernoPattern {
    Objects.requireNonNull(text);
    for (String alternative : text.split("\\|", -1)) {
      for (String term : alternative.split("&", -1)) {
        String t = trimSpaces(term);
        if (t.length() >= 2
            && (t.startsWith(">") || t.startsWith("<") || RANGE.matcher(t).matches())) {
          throw new IllegalArgumentException(
              "operator in '" + t + "' compares numbers or quantities, not image references");
        }
      }
    }
  }

  /** Whether {@code value} satisfies the pattern. */
  public boolean matches(String value) {
    if (value.equals(text)) {
      return true;
    }
    for (String alternative : text.split("\\|", -1)) {
      if (allTerms(trimSpaces(alternative), value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allTerms(String alternative, String value) {
    for (String term : alternative.split("&", -1)) {
      String t = trimSpaces(term);
      // As Kyverno's operator detection: a one-character term is always a plain pattern.
      boolean negated = t.length() >= 2 && t.startsWith("!");
      String wildcard = negated ? t.substring(1).strip() : t;
      if (Wildcard.matches(wildcard, value) == negated) {
        return false;
      }
    }
    return true;
  }

  /** Go's {@code strings.Trim(s, " ")}: spaces only, not tabs or newlines. */
  private static String trimSpaces(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == ' ') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == ' ') {
      e--;
    }
    return s.substring(b, e);
  }
}
