package dev.sigaudit.registry;

import java.util.Map;
import java.util.Optional;

/**
 * Finds the credentials for one registry host (as written in image references: {@code docker.io},
 * {@code ghcr.io}, {@code 127.0.0.1:5000}). The client asks once per request and sends what it gets
 * only to that host (and to its token service).
 */
@FunctionalInterface
public interface CredentialProvider {

  Optional<Credentials> forRegistry(String registry);

  /** This provider's answer, or {@code next}'s when this one has none (several pull secrets). */
  default CredentialProvider orElse(CredentialProvider next) {
    return registry -> {
      Optional<Credentials> mine = forRegistry(registry);
      return mine.isPresent() ? mine : next.forRegistry(registry);
    };
  }

  /** No credentials for anyone: every request is anonymous. */
  static CredentialProvider anonymous() {
    return registry -> Optional.empty();
  }

  /** Fixed credentials per registry host (keys normalized like docker config keys). */
  static CredentialProvider of(Map<String, Credentials> byRegistry) {
    Map<String, Credentials> normalized = new java.util.HashMap<>();
    byRegistry.forEach((k, v) -> normalized.put(RegistryHosts.credentialKey(k), v));
    Map<String, Credentials> copy = Map.copyOf(normalized);
    return registry -> Optional.ofNullable(copy.get(RegistryHosts.credentialKey(registry)));
  }
}
