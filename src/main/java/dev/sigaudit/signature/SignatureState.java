package dev.sigaudit.signature;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a digest's signature storage looked like when it was read: a token per {@link
 * SignatureRoute} that changes whenever a signature on that route is added or removed. Comparing
 * tokens is the cheap check that decides whether a cached verdict still holds.
 *
 * <p>Tokens: {@code absent}; {@code sig:<manifest digest>} for the legacy {@code .sig} tag; {@code
 * tag:<index digest>} for the referrers fallback tag; {@code api:<hash of the listed referrers>}
 * for the referrers API. A route that was not looked at has no token.
 */
public record SignatureState(Map<SignatureRoute, String> tokens) {
  public static final String ABSENT = "absent";

  public SignatureState {
    tokens = Map.copyOf(tokens);
  }

  /** The token of {@code route}, if it was read. */
  public Optional<String> token(SignatureRoute route) {
    return Optional.ofNullable(tokens.get(route));
  }

  /** A state builder's starting point: nothing read. */
  static Map<SignatureRoute, String> none() {
    return new EnumMap<>(SignatureRoute.class);
  }
}
