package dev.sigaudit.signature;

import java.util.Optional;

/**
 * What a digest's signature storage looked like when it was read: a token per format that changes
 * whenever a signature of that format is added or removed. Comparing tokens is the cheap check that
 * decides whether a cached verdict still holds.
 *
 * <p>Tokens: {@code absent}; {@code sig:<manifest digest>} for the legacy {@code .sig} tag; {@code
 * tag:<index digest>} for the referrers fallback tag; {@code api:<hash of the listed referrers>}
 * for the referrers API. Empty when that format was not looked at.
 */
public record SignatureState(Optional<String> bundles, Optional<String> legacy) {
  public static final String ABSENT = "absent";
}
