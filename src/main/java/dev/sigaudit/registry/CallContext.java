package dev.sigaudit.registry;

import dev.sigaudit.registry.RegistryException.Kind;

/**
 * What one client call is doing, for error messages ({@code <action> <subject> failed: <cause>})
 * and listener labels. The token exchange made on behalf of a call keeps the call's action and
 * subject (the operator cares which manifest could not be read) but is counted as {@link
 * Endpoint#TOKEN}.
 *
 * @param causePrefix prepended to status causes, e.g. {@code token request to https://… returned }
 */
record CallContext(
    Endpoint endpoint, String action, String registry, String subject, String causePrefix) {

  static CallContext of(Endpoint endpoint, String registry, String subject) {
    return new CallContext(endpoint, endpoint.action(), registry, subject, "");
  }

  /** The same call, for the token request made to authorize it. */
  CallContext forToken(String realmWithoutQuery) {
    return new CallContext(
        Endpoint.TOKEN,
        action,
        registry,
        subject,
        "token request to " + realmWithoutQuery + " returned ");
  }

  RegistryException fail(Kind kind, String cause) {
    return fail(kind, cause, 0, null);
  }

  RegistryException fail(Kind kind, String cause, int status, Throwable t) {
    return new RegistryException(kind, action + " " + subject + " failed: " + cause, status, t);
  }

  /** Maps an unwanted status to a typed failure; {@code suffix} adds context (retries, hints). */
  RegistryException failure(Response r, String suffix) {
    ErrorBody.Summary body = ErrorBody.parse(r.body());
    Kind kind = kindOf(r.status());
    if (body.codes().contains("TOOMANYREQUESTS")) {
      kind = Kind.RATE_LIMITED;
    }
    String cause =
        causePrefix
            + StatusText.of(r.status())
            + (body.text().isEmpty() ? "" : " (" + body.text() + ")")
            + suffix;
    return fail(kind, cause, r.status(), null);
  }

  static Kind kindOf(int status) {
    return switch (status) {
      case 401 -> Kind.UNAUTHORIZED;
      case 403 -> Kind.DENIED;
      case 404 -> Kind.NOT_FOUND;
      case 429 -> Kind.RATE_LIMITED;
      default -> {
        if (status >= 500 && status < 600) {
          yield Kind.SERVER_ERROR;
        } else if (status >= 400 && status < 500) {
          yield Kind.CLIENT_ERROR;
        }
        yield Kind.INVALID_RESPONSE; // 1xx/3xx where a final answer was expected
      }
    };
  }
}
