package dev.sigaudit.policy.ivp;

/** Text helpers for one-line messages: results and problems are single lines in reports. */
final class Messages {
  /** Longer expressions are cut: a message names the expression, it does not reproduce a page. */
  static final int MAX_EXPRESSION = 240;

  private Messages() {}

  /** {@code text} with every run of whitespace (newlines included) as one space, trimmed, cut. */
  static String oneLine(String text) {
    String s = text.strip().replaceAll("\\s+", " ");
    return s.length() <= MAX_EXPRESSION ? s : s.substring(0, MAX_EXPRESSION) + "…";
  }
}
