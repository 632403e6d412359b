package dev.sigaudit.policy.ivp;

import com.google.re2j.Pattern;

/**
 * A {@code matchImageReferences[].glob} pattern, with the syntax Kyverno compiles it with ({@code
 * github.com/gobwas/glob}, no separators):
 *
 * <ul>
 *   <li>{@code *} and {@code **} match any sequence, {@code /} included (no separators are set);
 *   <li>{@code ?} matches one character;
 *   <li>{@code [abc]}, {@code [a-z]} match one character of the class, {@code [!abc]}, {@code
 *       [!a-z]} one character outside it;
 *   <li>{@code {a,b*,c}} matches any of the comma-separated patterns (they may nest);
 *   <li>{@code \} makes the next character literal; every other character matches itself.
 * </ul>
 *
 * <p>This differs from {@link dev.sigaudit.model.Wildcard} (Kyverno's ClusterPolicy {@code
 * imageReferences}), which has no classes, alternatives or escapes. The pattern is translated once
 * into an RE2 regular expression (re2j, which CEL-Java brings for its own {@code matches}): RE2
 * matches in linear time, so a policy with many stars cannot stall a scan the way a backtracking
 * engine could ({@code *a*a*a*a*b} against a long name).
 */
final class Glob {
  private final String text;
  private final Pattern regex;

  private Glob(String text, Pattern regex) {
    this.text = text;
    this.regex = regex;
  }

  /**
   * Compiles {@code glob}.
   *
   * @throws IllegalArgumentException naming what is wrong: an unclosed {@code [} or <code>{</code>,
   *     an empty class, a trailing {@code \}
   */
  static Glob compile(String glob) {
    Translator t = new Translator(glob);
    String regex = t.sequence(false);
    if (t.pos < glob.length()) {
      throw new IllegalArgumentException("unexpected '" + glob.charAt(t.pos) + "' at " + t.pos);
    }
    return new Glob(glob, Pattern.compile(regex, Pattern.DOTALL));
  }

  boolean matches(String s) {
    return regex.matcher(s).matches();
  }

  @Override
  public String toString() {
    return text;
  }

  /** A recursive-descent translation of the glob grammar into a Java regex. */
  private static final class Translator {
    private final String g;
    private int pos;

    Translator(String g) {
      this.g = g;
    }

    /** Translates until the end, or (inside braces) until an unconsumed ',' or '}'. */
    String sequence(boolean inBraces) {
      StringBuilder re = new StringBuilder();
      while (pos < g.length()) {
        char c = g.charAt(pos);
        if (inBraces && (c == ',' || c == '}')) {
          break;
        }
        pos++;
        switch (c) {
          case '*' -> {
            while (pos < g.length() && g.charAt(pos) == '*') {
              pos++;
            }
            re.append(".*");
          }
          case '?' -> re.append('.');
          case '[' -> re.append(charClass());
          case '{' -> re.append(alternatives());
          case '\\' -> {
            if (pos >= g.length()) {
              throw new IllegalArgumentException("'\\' at the end escapes nothing");
            }
            re.append(Pattern.quote(String.valueOf(g.charAt(pos++))));
          }
          default -> re.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return re.toString();
    }

    private String alternatives() {
      StringBuilder re = new StringBuilder("(?:");
      while (true) {
        re.append(sequence(true));
        if (pos >= g.length()) {
          throw new IllegalArgumentException("'{' is never closed");
        }
        char c = g.charAt(pos++);
        if (c == '}') {
          return re.append(')').toString();
        }
        re.append('|');
      }
    }

    private String charClass() {
      int start = pos - 1;
      boolean negated = pos < g.length() && g.charAt(pos) == '!';
      if (negated) {
        pos++;
      }
      StringBuilder re = new StringBuilder(negated ? "[^" : "[");
      int members = 0;
      while (pos < g.length() && g.charAt(pos) != ']') {
        char lo = g.charAt(pos++);
        if (pos + 1 < g.length() && g.charAt(pos) == '-' && g.charAt(pos + 1) != ']') {
          char hi = g.charAt(pos + 1);
          pos += 2;
          if (hi < lo) {
            throw new IllegalArgumentException("range " + lo + "-" + hi + " is reversed");
          }
          re.append(escapeInClass(lo)).append('-').append(escapeInClass(hi));
        } else {
          re.append(escapeInClass(lo));
        }
        members++;
      }
      if (pos >= g.length()) {
        throw new IllegalArgumentException("'[' at " + start + " is never closed");
      }
      pos++; // ']'
      if (members == 0) {
        throw new IllegalArgumentException("'[' at " + start + " is an empty class");
      }
      return re.append(']').toString();
    }

    private static String escapeInClass(char c) {
      return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }
  }
}
