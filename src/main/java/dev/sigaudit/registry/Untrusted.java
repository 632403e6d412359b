package dev.sigaudit.registry;

/**
 * Makes registry-supplied text safe to put in messages, notes and logs: control and format
 * characters (newlines, ANSI escapes, bidi overrides) become spaces, runs of spaces collapse, and
 * the text is cut at a bound. A registry must not be able to forge log lines or flood a report.
 */
public final class Untrusted {
  private Untrusted() {}

  /** At most {@code max} characters (plus an ellipsis), single line, printable. */
  public static String text(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max + 1));
    boolean pendingSpace = false;
    int i = 0;
    while (i < s.length() && sb.length() < max) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (unsafe(cp)) {
        pendingSpace = sb.length() > 0;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.appendCodePoint(cp);
      }
    }
    boolean cut = i < s.length() && !s.substring(i).isBlank();
    return cut ? sb + "…" : sb.toString();
  }

  private static boolean unsafe(int cp) {
    int type = Character.getType(cp);
    return Character.isISOControl(cp)
        || Character.isWhitespace(cp)
        || Character.isSpaceChar(cp)
        || type == Character.FORMAT
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE;
  }
}
