package dev.sigaudit.verify;

/**
 * Quoting for values taken from untrusted signatures before they go into a reason. Reasons end up
 * in PolicyReports, CSV files and terminals, so a hostile payload must not be able to inject line
 * breaks, escape sequences or megabytes of text.
 */
final class Texts {
  static final int MAX_QUOTED = 80;
  static final int MAX_MESSAGE = 200;

  private Texts() {}

  /** {@code "value"} with control characters escaped and at most {@value #MAX_QUOTED} chars. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return '"'
        + escape(value.replace("\\", "\\\\").replace("\"", "\\\""), MAX_QUOTED)
        + '"'
        + (value.length() > MAX_QUOTED ? " (" + value.length() + " chars)" : "");
  }

  /**
   * A library message that may echo untrusted input (a JSON parser's "unexpected token …"), made
   * safe to embed: control characters escaped, at most {@value #MAX_MESSAGE} chars.
   */
  static String clip(String message) {
    return message == null ? "no detail" : escape(message, MAX_MESSAGE);
  }

  private static String escape(String value, int max) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 2);
    for (int i = 0; i < value.length() && i < max; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > max) {
      out.append('…');
    }
    return out.toString();
  }
}
