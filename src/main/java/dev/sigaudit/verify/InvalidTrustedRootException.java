package dev.sigaudit.verify;

/**
 * A {@code trusted_root.json} (or trust material assembled from a policy) that cannot be used:
 * malformed JSON, an unknown media type, a certificate or key that does not parse. A configuration
 * problem, reported when the trust material is loaded, never while checking an image.
 */
public class InvalidTrustedRootException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidTrustedRootException(String message) {
    super(message);
  }

  public InvalidTrustedRootException(String message, Throwable cause) {
    super(message, cause);
  }
}
