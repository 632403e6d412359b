package dev.sigaudit.model;

import java.util.Locale;

/** PolicyReport result severities. */
public enum Severity {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  INFO;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid severity '" + s + "' (expected critical, high, medium, low or info)", e);
    }
  }
}
