package dev.sigaudit.testing;

/** Canned response bodies. */
public final class Responses {
  private Responses() {}

  /** An OCI error envelope with one error. */
  public static String error(String code, String message) {
    return "{\"errors\":[{\"code\":\""
        + code
        + "\",\"message\":\""
        + message
        + "\",\"detail\":null}]}";
  }
}
