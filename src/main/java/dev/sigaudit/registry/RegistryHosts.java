package dev.sigaudit.registry;

import dev.sigaudit.model.ImageRef;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Maps registry names (as in image references) to API base URIs.
 *
 * <p>HTTPS with normal certificate verification is the default. Plain HTTP is used only for hosts
 * the operator listed as insecure ({@code --insecure-registry HOST:PORT}): a registry must never be
 * downgraded because a TLS handshake failed, or a network attacker could strip TLS.
 */
final class RegistryHosts {
  /** Docker Hub's references say {@code docker.io}, its API lives elsewhere. */
  static final String DOCKER_HUB_API = "registry-1.docker.io";

  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  private final Set<String> insecure;

  RegistryHosts(Set<String> insecureRegistries) {
    this.insecure =
        insecureRegistries.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }

  boolean isInsecure(String registry) {
    return insecure.contains(registry.toLowerCase(Locale.ROOT));
  }

  /** {@code https://registry-1.docker.io} for {@code docker.io}, {@code http://h:p} if insecure. */
  URI base(String registry) {
    String host = registry.toLowerCase(Locale.ROOT);
    if (host.equals(ImageRef.DOCKER_HUB)) {
      host = DOCKER_HUB_API;
    }
    return URI.create((isInsecure(registry) ? "http" : "https") + "://" + host);
  }

  /** {@code <base>/v2/<repository>/<rest>}; every part was validated by {@link ImageRef}. */
  URI v2(ImageRef repo, String rest) {
    return URI.create(base(repo.registry()) + "/v2/" + repo.repository() + "/" + rest);
  }

  /**
   * Normalizes a docker config {@code auths} key or a registry name so both compare equal: drops
   * the scheme and path ({@code https://index.docker.io/v1/} → {@code docker.io}), lower-cases, and
   * folds Docker Hub's aliases into {@code docker.io}.
   */
  static String credentialKey(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return DOCKER_HUB_ALIASES.contains(k) ? ImageRef.DOCKER_HUB : k;
  }
}
