package dev.sigaudit.policy;

import java.util.Locale;

/**
 * What the policy's own engine does on a violation. sigaudit only reports; the mode is carried so
 * that reports can tell which failures would have been blocked at admission.
 */
public enum Mode {
  AUDIT,
  ENFORCE,
  WARN;

  /** The lower-case wire value. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
