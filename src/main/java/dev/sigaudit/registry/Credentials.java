package dev.sigaudit.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Registry credentials: a username/password pair (sent as HTTP Basic, directly or to the token
 * service) or an identity token (an OAuth2 refresh token, exchanged at the token service).
 *
 * <p>The secret is readable only inside this package, where the authenticator sends it to the
 * registry it belongs to. {@link #toString()} redacts it, so credentials can be logged or end up in
 * an exception message by accident without leaking.
 */
public final class Credentials {
  private final String username;
  private final String secret;
  private final boolean identityToken;

  private Credentials(String username, String secret, boolean identityToken) {
    this.username = username;
    this.secret = secret;
    this.identityToken = identityToken;
  }

  /**
   * Username and password (or an access token used as password, as ECR, GCR and ACR do).
   *
   * @throws IllegalArgumentException if the username is empty or contains {@code :}, which HTTP
   *     Basic cannot carry (the message never contains the password)
   */
  public static Credentials basic(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty() || username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("invalid registry username: must be non-empty, no ':'");
    }
    return new Credentials(username, password, false);
  }

  /** An identity token ({@code identitytoken} in a docker config). */
  public static Credentials identityToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("empty identity token");
    }
    return new Credentials(null, token, true);
  }

  /** The username, absent for an identity token. Usernames are not secret. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  public boolean isIdentityToken() {
    return identityToken;
  }

  /** {@code Basic base64(user:password)}; only for username/password credentials. */
  String basicAuthorization() {
    if (identityToken) {
      throw new IllegalStateException("an identity token is not sent as Basic credentials");
    }
    String pair = username + ":" + secret;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** The refresh token to exchange; only for identity tokens. */
  String refreshToken() {
    if (!identityToken) {
      throw new IllegalStateException("not an identity token");
    }
    return secret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c
        && identityToken == c.identityToken
        && Objects.equals(username, c.username)
        && secret.equals(c.secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, secret, identityToken);
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return identityToken
        ? "Credentials[identityToken=<redacted>]"
        : "Credentials[username=" + username + ", password=<redacted>]";
  }
}
