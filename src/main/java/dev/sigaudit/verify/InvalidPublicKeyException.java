package dev.sigaudit.verify;

/**
 * Trust material (a policy's public key) that cannot be used: malformed PEM, an unsupported
 * algorithm or curve, an RSA key of the wrong size. The message names what was found and what is
 * supported; it never contains key material.
 */
public class InvalidPublicKeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidPublicKeyException(String message) {
    super(message);
  }

  public InvalidPublicKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
