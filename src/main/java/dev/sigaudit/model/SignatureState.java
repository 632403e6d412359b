package dev.sigaudit.model;

import java.util.Locale;

/**
 * What a signature inventory knows about one running digest. "Signed" is not "trusted": a signature
 * by a key nobody named says only that someone signed, so it is {@link #SIGNED}, never {@link
 * #VERIFIED}.
 */
public enum SignatureState {
  /** A signature verified for exactly this digest against a trust anchor (Fulcio and the log). */
  VERIFIED,
  /** A signature is present, but its signer is unknown or could not be checked (no key given). */
  SIGNED,
  /** The registry answered, and there is no signature. */
  UNSIGNED,
  /** The registry could not be asked: nothing is known. */
  UNKNOWN;

  /** The lower-case value every export writes ({@code verified}, {@code signed}…). */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The informational result of the inventory pseudo-policy: only a verified signature passes; an
   * unsigned image fails (it is what an inventory is for finding); a signature whose signer nobody
   * vouches for is not judged ({@code skip}); an unanswered lookup is an {@code error}.
   */
  public Result result() {
    return switch (this) {
      case VERIFIED -> Result.PASS;
      case SIGNED -> Result.SKIP;
      case UNSIGNED -> Result.FAIL;
      case UNKNOWN -> Result.ERROR;
    };
  }

  /**
   * The state an inventory result stands for: {@link #result()} is one to one, so reports carry the
   * result and the state is read back from it.
   */
  public static SignatureState ofInventoryResult(Result r) {
    for (SignatureState s : values()) {
      if (s.result() == r) {
        return s;
      }
    }
    throw new IllegalArgumentException("no inventory result is " + r.wire());
  }
}
