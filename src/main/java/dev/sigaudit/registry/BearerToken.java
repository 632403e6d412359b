package dev.sigaudit.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/** A registry access token and when to stop using it. {@link #toString()} redacts the token. */
record BearerToken(String value, Instant expiresAt) {
  /** Visible ASCII only: the token goes into a header, and must not smuggle CR/LF into it. */
  private static final Pattern SAFE = Pattern.compile("[\\x21-\\x7E]{1,16384}");

  /** Tokens are renewed this long before they expire, to cover the request in flight. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  static boolean isSafe(String token) {
    return token != null && SAFE.matcher(token).matches();
  }

  boolean isFresh(Instant now) {
    return now.plus(MARGIN).isBefore(expiresAt);
  }

  String authorization() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "BearerToken[<redacted>, expiresAt=" + expiresAt + "]";
  }
}
