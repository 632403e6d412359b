package dev.sigaudit.registry;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that talks to a registry on behalf of the endpoint classes: authentication,
 * redirects, retries and status mapping, the way jib's {@code RegistryEndpointCaller} does it.
 *
 * <p>Redirects are followed here, not by the HTTP client, because the {@code Authorization} header
 * must only go to the registry itself: blob GETs are routinely redirected to S3 or a CDN with a
 * pre-signed URL, and forwarding registry credentials there would leak them. HTTPS → HTTP redirects
 * are refused.
 */
final class RegistryCaller {
  private static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /**
   * One logical request.
   *
   * @param accept the Accept header, or null
   * @param maxBytes limit of a 2xx body
   */
  record Call(
      CallContext ctx, ImageRef repo, String method, URI uri, String accept, long maxBytes) {}

  private final RegistryHosts hosts;
  private final HttpTransport transport;
  private final Retrier retrier;
  private final Authorizer authorizer;

  RegistryCaller(
      RegistryHosts hosts, HttpTransport transport, Retrier retrier, Authorizer authorizer) {
    this.hosts = hosts;
    this.transport = transport;
    this.retrier = retrier;
    this.authorizer = authorizer;
  }

  /**
   * Sends the call and returns the response if its status is in {@code accepted}; any other status
   * becomes a typed {@link RegistryException}.
   */
  Response expect(Call call, Set<Integer> accepted) throws RegistryException {
    Response r = send(call);
    if (accepted.contains(r.status())) {
      return r;
    }
    String hint = "";
    if (r.status() == 401 && !authorizer.hasCredentials(call.repo().registry())) {
      hint = " [no credentials configured for " + call.repo().registry() + "]";
    }
    throw call.ctx().failure(r, hint);
  }

  /** Sends the call with auth, redirects and retries; returns whatever final response came. */
  Response send(Call call) throws RegistryException {
    return retrier.run(
        call.ctx(),
        () -> {
          Optional<String> auth = authorizer.upfront(call.ctx(), call.repo());
          Response r = follow(call, auth);
          if (r.status() == 401 && sameOrigin(r.uri(), call.uri())) {
            Optional<String> retry =
                authorizer.afterChallenge(
                    call.ctx(), call.repo(), r.headers().allValues("WWW-Authenticate"), auth);
            if (retry.isPresent()) {
              r = follow(call, retry);
            }
          }
          return r;
        });
  }

  private Response follow(Call call, Optional<String> auth)
      throws IOException, InterruptedException, RegistryException {
    URI uri = call.uri();
    for (int hop = 0; ; hop++) {
      Map<String, String> headers = new LinkedHashMap<>();
      if (call.accept() != null) {
        headers.put("Accept", call.accept());
      }
      if (auth.isPresent() && sameOrigin(uri, call.uri())) {
        headers.put("Authorization", auth.get());
      }
      Response r =
          transport.exchange(
              new HttpTransport.Request(
                  call.repo().registry(),
                  call.ctx().endpoint(),
                  call.repo().registry(),
                  call.method(),
                  uri,
                  headers,
                  null,
                  call.maxBytes()));
      Optional<String> location = r.header("Location");
      if (!REDIRECTS.contains(r.status()) || location.isEmpty()) {
        return r;
      }
      if (hop == MAX_REDIRECTS) {
        throw call.ctx().fail(Kind.INVALID_RESPONSE, "more than " + MAX_REDIRECTS + " redirects");
      }
      uri = redirectTarget(call, uri, location.get());
    }
  }

  private static URI redirectTarget(Call call, URI from, String location) throws RegistryException {
    URI to;
    try {
      to = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw call.ctx()
          .fail(
              Kind.INVALID_RESPONSE, "malformed redirect '" + Untrusted.text(location, 100) + "'");
    }
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || to.getHost() == null) {
      throw call.ctx()
          .fail(
              Kind.INVALID_RESPONSE,
              "unsupported redirect '" + Untrusted.text(location, 100) + "'");
    }
    if (from.getScheme().equals("https") && scheme.equals("http")) {
      throw call.ctx()
          .fail(
              Kind.INVALID_RESPONSE, "refusing redirect from https to http (" + to.getHost() + ")");
    }
    return to;
  }

  /** Same scheme, host and port: the only place credentials for the registry may be sent. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  RegistryHosts hosts() {
    return hosts;
  }
}
