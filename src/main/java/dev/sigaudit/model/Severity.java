package dev.sigaudit.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The severity values of a <a
 * href="https://github.com/kubernetes-sigs/wg-policy-prototypes/tree/master/policy-report">wgpolicyk8s.io
 * PolicyReport</a> result.
 */
public enum Severity {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  INFO;

  /** The lower-case wire value ({@code critical}, {@code high}…). */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The severity whose {@link #wire()} value is {@code text}, if any (exact, lower case). */
  public static Optional<Severity> fromWire(String text) {
    for (Severity s : values()) {
      if (s.wire().equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
