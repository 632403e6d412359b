package dev.sigaudit.policy.crd;

/**
 * Kyverno's pattern anchors on field names ({@code =(initContainers)}, {@code X(hostPath)}, {@code
 * ^(name)}, {@code +(x)}, {@code <(x)}): which one, and the bare field name.
 */
public final class Anchors {
  private Anchors() {}

  /** The field name without its anchor. */
  public static String key(String field) {
    String a = anchor(field);
    return a.isEmpty() ? field : field.substring(a.length() + 1, field.length() - 1);
  }

  /** The anchor ({@code =}, {@code X}, {@code ^}, {@code +}, {@code <}), or {@code ""} for none. */
  public static String anchor(String field) {
    if (field.length() > 3 && field.endsWith(")")) {
      for (String a : new String[] {"=", "X", "^", "+", "<"}) {
        if (field.startsWith(a + "(")) {
          return a;
        }
      }
    }
    return "";
  }
}
