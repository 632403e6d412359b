package dev.sigaudit.verify;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression with the meaning Go's {@code regexp} package (RE2 syntax) gives it, which is
 * what cosign, Kyverno and policy-controller compile {@code subjectRegExp}/{@code issuerRegExp}
 * with, evaluated with {@code java.util.regex}.
 *
 * <p>Matching is a <em>search</em>, like Go's {@code MatchString}: the pattern may match anywhere
 * in the value unless it anchors itself with {@code ^…$} (see {@link IdentityMatch.Regexp}).
 *
 * <p>Where the two engines disagree, the pattern is refused rather than silently given another
 * meaning: back-references, look-around, possessive quantifiers, atomic groups and POSIX classes
 * written {@code [[:alpha:]]} (which Java reads as a set of letters). Go's {@code (?P<name>…)} is
 * translated. {@code .} and {@code $} treat only {@code \n} as a line end ({@link
 * Pattern#UNIX_LINES}) and {@link #find} refuses values containing line breaks, where Java's {@code
 * $} would also match before a final newline and Go's would not. Java backtracks where RE2 does
 * not, so a pathological pattern could run for a very long time; evaluation is cut off after a step
 * budget (the value is an attacker-chosen certificate SAN).
 */
final class GoRegexp {
  /** charAt calls allowed per evaluation; linear patterns need a few per input character. */
  static final int STEP_BUDGET = 1_000_000;

  private final String source;
  private final Pattern pattern;

  private GoRegexp(String source, Pattern pattern) {
    this.source = source;
    this.pattern = pattern;
  }

  /**
   * Compiles {@code source}.
   *
   * @throws IllegalArgumentException when it is not valid, or uses syntax RE2 does not have
   */
  static GoRegexp compile(String source) {
    Objects.requireNonNull(source);
    String unsupported = unsupportedSyntax(source);
    if (unsupported != null) {
      throw new IllegalArgumentException(
          "regular expression "
              + Texts.quote(source)
              + " uses "
              + unsupported
              + ", which Go's RE2 syntax (used by cosign, Kyverno and policy-controller) does not"
              + " have or reads differently");
    }
    try {
      String java = source.replace("(?P<", "(?<");
      return new GoRegexp(source, Pattern.compile(java, Pattern.UNIX_LINES | Pattern.UNICODE_CASE));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regular expression "
              + Texts.quote(source)
              + ": "
              + Texts.clip(e.getDescription()),
          e);
    }
  }

  /**
   * Whether the pattern matches somewhere in {@code value} (Go's {@code MatchString}).
   *
   * @throws Rejection when {@code value} has a line break or the step budget runs out
   */
  boolean find(String value) throws Rejection {
    if (value
        .chars()
        .anyMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029)) {
      throw new Rejection(
          Texts.quote(value) + " contains a line break; refusing to match it against a regexp");
    }
    try {
      return pattern.matcher(new BudgetedText(value)).find();
    } catch (BudgetExceeded e) {
      throw new Rejection(
          "regexp "
              + Texts.quote(source)
              + " took too long on "
              + Texts.quote(value)
              + " (catastrophic backtracking?)");
    }
  }

  String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GoRegexp other && other.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * The first construct whose meaning differs between RE2 and Java, or null. A small scanner rather
   * than a regexp over the regexp, so that escapes ({@code \\1} is a backslash then "1") and
   * character classes are respected.
   */
  static String unsupportedSyntax(String re) {
    boolean inClass = false;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      char next = i + 1 < re.length() ? re.charAt(i + 1) : 0;
      if (c == '\\') {
        if (next >= '1' && next <= '9') {
          return "a back-reference (\\" + next + ")";
        }
        if (next == 'k' || next == 'G' || next == 'Z' || next == 'R' || next == 'X') {
          return "\\" + next;
        }
        i++; // the escaped character is a literal or a class such as \\d
      } else if (inClass) {
        if (c == '[' && next == ':') {
          return "a POSIX class [[:name:]]";
        }
        if (c == '[' || (c == '&' && next == '&')) {
          return "a nested class or class intersection";
        }
        if (c == ']') {
          inClass = false;
        }
      } else if (c == '[') {
        inClass = true;
        if (next == '^') {
          i++;
        }
        if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
          i++; // a leading ] is a literal in both engines
        }
      } else if (c == '(' && next == '?') {
        String group = groupKind(re, i + 2);
        if (group != null) {
          return group;
        }
      } else if ((c == '*' || c == '+' || c == '?' || c == '}') && next == '+') {
        return "a possessive quantifier (" + c + "+)";
      }
    }
    return null;
  }

  private static String groupKind(String re, int at) {
    if (re.startsWith("P<", at) || re.startsWith(":", at)) {
      return null;
    }
    if (re.startsWith("=", at)
        || re.startsWith("!", at)
        || re.startsWith("<=", at)
        || re.startsWith("<!", at)) {
      return "look-around";
    }
    if (re.startsWith(">", at)) {
      return "an atomic group";
    }
    if (re.startsWith("<", at)) {
      return "a Java named group (?<name>; Go writes (?P<name>";
    }
    // Flags: Go has i, m, s and U; Java's U means something else (Unicode classes).
    for (int i = at; i < re.length() && re.charAt(i) != ')' && re.charAt(i) != ':'; i++) {
      if ("ims-".indexOf(re.charAt(i)) < 0) {
        return "the flag " + re.charAt(i);
      }
    }
    return null;
  }

  private static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super(null, null, false, false);
    }
  }

  /** A CharSequence that gives up after {@link #STEP_BUDGET} reads. */
  private static final class BudgetedText implements CharSequence {
    private final String text;
    private final int[] steps;

    BudgetedText(String text) {
      this(text, new int[1]);
    }

    private BudgetedText(String text, int[] steps) {
      this.text = text;
      this.steps = steps;
    }

    @Override
    public char charAt(int index) {
      if (++steps[0] > STEP_BUDGET) {
        throw new BudgetExceeded();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new BudgetedText(text.substring(start, end), steps);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
