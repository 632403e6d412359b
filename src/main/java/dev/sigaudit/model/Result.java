package dev.sigaudit.model;

import java.util.Locale;

/** The result values of a wgpolicyk8s.io PolicyReport result, which every export reuses. */
public enum Result {
  PASS,
  FAIL,
  WARN,
  ERROR,
  SKIP;

  /** The lower-case wire value ({@code pass}, {@code fail}…). */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
