package dev.sigaudit.scan;

import dev.sigaudit.model.Cause;
import dev.sigaudit.registry.RegistryException;
import java.util.Optional;

/**
 * The {@link Cause} of a lookup that could not be made, from the registry's kind of failure: what a
 * summary groups errors by and which fix it offers.
 */
final class Causes {
  private Causes() {}

  static Cause of(Optional<RegistryException.Kind> kind) {
    return kind.map(Causes::of).orElse(Cause.CHECK_FAILED);
  }

  static Cause of(RegistryException.Kind kind) {
    return switch (kind) {
      case PLAIN_HTTP -> Cause.PLAIN_HTTP;
      case NETWORK, TIMEOUT, UNRESPONSIVE -> Cause.UNREACHABLE;
      case UNAUTHORIZED, DENIED -> Cause.UNAUTHORIZED;
      case RATE_LIMITED -> Cause.RATE_LIMITED;
      case NOT_FOUND, SERVER_ERROR, CLIENT_ERROR, INVALID_RESPONSE, TOO_LARGE ->
          Cause.REGISTRY_ERROR;
      case INTERRUPTED -> Cause.CHECK_FAILED;
    };
  }
}
