package dev.sigaudit.registry;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A registry request that did not produce a usable answer.
 *
 * <p>The message always reads {@code <action> <subject> failed: <cause>}, e.g. {@code fetching
 * manifest 127.0.0.1:5000/app@sha256:… failed: 401 Unauthorized (UNAUTHORIZED: authentication
 * required)}. Messages never contain credentials or tokens: they are built only from the request
 * subject, the HTTP status and the sanitized <a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">OCI
 * error body</a>.
 *
 * <p>Callers must treat every kind as "could not check", never as "no signature".
 */
public final class RegistryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, coarse enough for metrics labels and for choosing a retry strategy. */
  public enum Kind {
    /** 404: the repository, manifest, tag or blob does not exist. */
    NOT_FOUND,
    /** 401 after authenticating (or with no credentials to offer), or a token exchange refused. */
    UNAUTHORIZED,
    /** 403: authenticated but not allowed. */
    DENIED,
    /** 429 (or a TOOMANYREQUESTS error code) that outlasted the retry budget. */
    RATE_LIMITED,
    /** 5xx that outlasted the retry budget. */
    SERVER_ERROR,
    /** Any other 4xx: the registry refused the request as malformed or unsupported. */
    CLIENT_ERROR,
    /** Connection refused/reset, DNS, TLS handshake failures. */
    NETWORK,
    /**
     * The TLS handshake got a plain-HTTP answer: the registry serves HTTP only, and is not among
     * the insecure registries.
     */
    PLAIN_HTTP,
    /** No complete answer within the per-request deadline. */
    TIMEOUT,
    /**
     * The registry stopped answering (consecutive timeouts or refused connections): the request was
     * not sent, or not retried.
     */
    UNRESPONSIVE,
    /** Malformed JSON, digest mismatch, truncated body, bad redirect, bad token realm… */
    INVALID_RESPONSE,
    /** The body exceeded the size limit for what was being read. */
    TOO_LARGE,
    /** The calling thread was interrupted (the scan is being cancelled). */
    INTERRUPTED
  }

  private final Kind kind;
  private final int status;

  /**
   * @param kind the classification
   * @param message the full {@code action subject failed: cause} message, free of secrets
   * @param status the HTTP status that caused the failure, or 0 if there was none
   * @param cause the underlying exception, if any (must not carry secrets in its message)
   */
  public RegistryException(Kind kind, String message, int status, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind);
    this.status = status;
  }

  public RegistryException(Kind kind, String message) {
    this(kind, message, 0, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status behind the failure, when one was received. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
