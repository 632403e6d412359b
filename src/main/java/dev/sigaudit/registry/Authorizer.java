package dev.sigaudit.registry;

import dev.sigaudit.model.ImageRef;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides the {@code Authorization} header of registry requests.
 *
 * <p>The first request to a registry goes out anonymous; its 401 challenge (Bearer or Basic) is
 * remembered per registry, so later requests — to any repository — authenticate up front instead of
 * paying a 401 round trip each time. Bearer tokens are cached per registry, scope and credentials
 * until shortly before they expire, and fetched once even when many threads need the same one at
 * the same moment. A 401 on a request that carried a cached token drops that token and retries once
 * with a fresh one (tokens can be revoked or expire early).
 */
final class Authorizer {
  private record TokenKey(
      String registry, String realm, String service, String scope, Credentials creds) {}

  private final RegistryHosts hosts;
  private final CredentialProvider credentials;
  private final TokenClient tokens;
  private final Clock clock;
  private final ConcurrentMap<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
  private final ConcurrentMap<TokenKey, BearerToken> cache = new ConcurrentHashMap<>();
  // ReentrantLock, not synchronized: virtual threads blocked on a monitor pin their carrier (JDK
  // 21).
  private final ConcurrentMap<TokenKey, ReentrantLock> locks = new ConcurrentHashMap<>();

  Authorizer(RegistryHosts hosts, CredentialProvider credentials, TokenClient tokens, Clock clock) {
    this.hosts = hosts;
    this.credentials = credentials;
    this.tokens = tokens;
    this.clock = clock;
  }

  boolean hasCredentials(String registry) {
    return credentials.forRegistry(registry).isPresent();
  }

  /** The header to send up front, when this registry's auth scheme is already known. */
  Optional<String> upfront(CallContext ctx, ImageRef repo) throws RegistryException {
    AuthChallenge known = challenges.get(repo.registry());
    if (known == null) {
      return Optional.empty();
    }
    Optional<Credentials> creds = credentials.forRegistry(repo.registry());
    if (known.isBasic()) {
      return basic(creds);
    }
    return Optional.of(token(ctx, repo, known, pullScope(repo), creds, null).authorization());
  }

  /**
   * After a 401: the header to retry with, or empty when retrying cannot help (no usable challenge,
   * no credentials for Basic, or the same credentials were already refused).
   *
   * @param sent the Authorization header of the refused request, if any
   */
  Optional<String> afterChallenge(
      CallContext ctx, ImageRef repo, List<String> wwwAuthenticate, Optional<String> sent)
      throws RegistryException {
    Optional<AuthChallenge> parsed = AuthChallenge.preferred(wwwAuthenticate);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    AuthChallenge challenge = parsed.get();
    challenges.put(repo.registry(), challenge);
    Optional<Credentials> creds = credentials.forRegistry(repo.registry());
    if (challenge.isBasic()) {
      Optional<String> header = basic(creds);
      return header.equals(sent) ? Optional.empty() : header;
    }
    // Prefer the scope the registry asked for; it may differ from ours (e.g. extra actions).
    String scope = challenge.param("scope").orElse(pullScope(repo));
    String stale = sent.filter(h -> h.startsWith("Bearer ")).orElse(null);
    return Optional.of(token(ctx, repo, challenge, scope, creds, stale).authorization());
  }

  private BearerToken token(
      CallContext ctx,
      ImageRef repo,
      AuthChallenge ch,
      String scope,
      Optional<Credentials> creds,
      String staleHeader)
      throws RegistryException {
    TokenKey key =
        new TokenKey(
            repo.registry(),
            ch.param("realm").orElse(""),
            ch.param("service").orElse(""),
            scope,
            creds.orElse(null));
    ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
    lock.lock();
    try {
      BearerToken cached = cache.get(key);
      boolean refused = cached != null && cached.authorization().equals(staleHeader);
      if (cached != null && !refused && cached.isFresh(clock.instant())) {
        return cached; // fresh, or another thread already replaced the refused one
      }
      URI base = hosts.base(repo.registry());
      BearerToken fresh =
          tokens.fetch(ctx, ch, scope, base, hosts.isInsecure(repo.registry()), creds);
      cache.put(key, fresh);
      return fresh;
    } finally {
      lock.unlock();
    }
  }

  private static Optional<String> basic(Optional<Credentials> creds) {
    return creds.filter(c -> !c.isIdentityToken()).map(Credentials::basicAuthorization);
  }

  static String pullScope(ImageRef repo) {
    return "repository:" + repo.repository() + ":pull";
  }
}
