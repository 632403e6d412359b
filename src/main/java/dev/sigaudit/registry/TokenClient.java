package dev.sigaudit.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Exchanges credentials (or nothing) for a Bearer token at the realm named by a challenge, per the
 * <a href="https://distribution.github.io/distribution/spec/auth/token/">token</a> and <a
 * href="https://distribution.github.io/distribution/spec/auth/oauth/">OAuth2</a> specs:
 * username/password go as Basic on a GET; an identity token is a refresh token POSTed as a form.
 *
 * <p>The realm comes from the registry's response, so it is not trusted blindly: it must be HTTPS
 * (HTTP only for registries the operator marked insecure), and credentials are sent to it only if
 * it is in the registry's own domain — otherwise a hostile registry could name any URL as realm and
 * collect the credentials meant for it.
 */
final class TokenClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The token spec's default and minimum lifetime. */
  private static final long MIN_EXPIRES_IN = 60;

  private final HttpTransport transport;
  private final Retrier retrier;
  private final Clock clock;
  private final long maxBytes;

  TokenClient(HttpTransport transport, Retrier retrier, Clock clock, long maxBytes) {
    this.transport = transport;
    this.retrier = retrier;
    this.clock = clock;
    this.maxBytes = maxBytes;
  }

  BearerToken fetch(
      CallContext call,
      AuthChallenge challenge,
      String scope,
      URI registryBase,
      boolean insecure,
      Optional<Credentials> credentials)
      throws RegistryException {
    URI realm = realm(call, challenge, registryBase, insecure, credentials.isPresent());
    String realmText = realm.getScheme() + "://" + realm.getRawAuthority() + realm.getRawPath();
    CallContext ctx = call.forToken(realmText);

    Map<String, String> form = new LinkedHashMap<>();
    challenge.param("service").ifPresent(s -> form.put("service", s));
    form.put("scope", scope);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    HttpTransport.Request request;
    if (credentials.isPresent() && credentials.get().isIdentityToken()) {
      form.put("grant_type", "refresh_token");
      form.put("client_id", "sigaudit");
      form.put("refresh_token", credentials.get().refreshToken());
      headers.put("Content-Type", "application/x-www-form-urlencoded");
      byte[] body = encode(form).getBytes(StandardCharsets.UTF_8);
      request =
          new HttpTransport.Request(
              ctx.registry(),
              Endpoint.TOKEN,
              authority(realm),
              "POST",
              realm,
              headers,
              body,
              maxBytes);
    } else {
      credentials.ifPresent(c -> headers.put("Authorization", c.basicAuthorization()));
      String q = realm.getRawQuery();
      URI uri = URI.create(realmText + "?" + (q == null ? "" : q + "&") + encode(form));
      request =
          new HttpTransport.Request(
              ctx.registry(),
              Endpoint.TOKEN,
              authority(realm),
              "GET",
              uri,
              headers,
              null,
              maxBytes);
    }

    Response r = retrier.run(ctx, () -> transport.exchange(request));
    if (r.status() != 200) {
      throw ctx.failure(r, "");
    }
    return parse(ctx, r.body());
  }

  private BearerToken parse(CallContext ctx, byte[] body) throws RegistryException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      // Never quote the body: it may hold a token.
      throw ctx.fail(Kind.INVALID_RESPONSE, "token response is not JSON");
    }
    String token = text(root, "token").or(() -> text(root, "access_token")).orElse(null);
    if (token == null) {
      throw ctx.fail(Kind.INVALID_RESPONSE, "token response has no 'token' or 'access_token'");
    }
    if (!BearerToken.isSafe(token)) {
      throw ctx.fail(Kind.INVALID_RESPONSE, "token response holds a malformed token");
    }
    JsonNode expiresIn = root.get("expires_in");
    long seconds = expiresIn != null && expiresIn.canConvertToLong() ? expiresIn.asLong() : 0;
    Duration lifetime = Duration.ofSeconds(Math.max(MIN_EXPIRES_IN, seconds));
    return new BearerToken(token, clock.instant().plus(lifetime));
  }

  private static URI realm(
      CallContext ctx, AuthChallenge ch, URI registryBase, boolean insecure, boolean withCreds)
      throws RegistryException {
    String value = ch.param("realm").orElse("");
    URI realm;
    try {
      realm = new URI(value);
    } catch (java.net.URISyntaxException e) {
      realm = null;
    }
    if (realm == null || !realm.isAbsolute() || realm.getHost() == null) {
      throw ctx.fail(
          Kind.INVALID_RESPONSE,
          "Bearer challenge has no valid realm URL ('" + Untrusted.text(value, 100) + "')");
    }
    String scheme = realm.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(scheme.equals("http") && insecure)) {
      throw ctx.fail(
          Kind.INVALID_RESPONSE,
          "token realm " + Untrusted.text(value, 100) + " is not https (registry is not insecure)");
    }
    if (withCreds && !sameSite(realm.getHost(), registryBase.getHost())) {
      throw ctx.fail(
          Kind.UNAUTHORIZED,
          "token realm host "
              + Untrusted.text(realm.getHost(), 100)
              + " is outside the registry's domain; credentials withheld");
    }
    return realm;
  }

  /**
   * Same host, or same last two DNS labels ({@code auth.docker.io} for {@code
   * registry-1.docker.io}). IP literals and single labels must match exactly.
   */
  static boolean sameSite(String a, String b) {
    return site(a).equals(site(b));
  }

  private static String site(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.startsWith("[") || h.matches("[0-9.]+")) {
      return h;
    }
    String[] labels = h.split("\\.");
    return labels.length < 2 ? h : labels[labels.length - 2] + "." + labels[labels.length - 1];
  }

  private static String authority(URI uri) {
    return uri.getRawAuthority().toLowerCase(Locale.ROOT);
  }

  private static String encode(Map<String, String> form) {
    StringBuilder sb = new StringBuilder();
    form.forEach(
        (k, v) -> {
          if (sb.length() > 0) {
            sb.append('&');
          }
          sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return sb.toString();
  }

  private static Optional<String> text(JsonNode root, String field) {
    JsonNode v = root == null ? null : root.get(field);
    return v != null && v.isTextual() && !v.asText().isEmpty()
        ? Optional.of(v.asText())
        : Optional.empty();
  }
}
