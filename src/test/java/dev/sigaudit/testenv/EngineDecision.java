package dev.sigaudit.testenv;

/**
 * What a real admission engine decided for one Pod (or one image) under one policy, in the words
 * sigaudit's results use: {@code pass} (admitted), {@code fail} (blocked), {@code error} (the
 * engine could not decide), {@code skip} (the policy does not apply). The message is the engine's
 * own.
 */
public record EngineDecision(String verdict, String message) {
  public static final EngineDecision SKIP = new EngineDecision("skip", "");

  /** The stronger of two decisions for one Pod: fail, then error, then pass, then skip. */
  public EngineDecision strongest(EngineDecision other) {
    return rank(other.verdict) > rank(verdict) ? other : this;
  }

  /** fail > error > pass > skip, as one blocking rule blocks the whole Pod. */
  public static int rank(String verdict) {
    return switch (verdict) {
      case "fail" -> 3;
      case "error" -> 2;
      case "pass" -> 1;
      default -> 0;
    };
  }
}
