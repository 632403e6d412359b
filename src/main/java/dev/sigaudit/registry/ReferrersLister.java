package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /v2/<name>/referrers/<digest>} with {@code Accept:
 * application/vnd.oci.image.index.v1+json} (<a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">distribution
 * spec: listing referrers</a>).
 *
 * <p>As in go-containerregistry and cosign, 404, 400 and 406, or a 200 whose Content-Type is not an
 * OCI index, mean "not supported" (Distribution 2.8 answers a plain-text 404). Any other failure is
 * an error: a 401 or 500 must not silently turn into "look elsewhere". Paginated answers ({@code
 * Link: <…>; rel="next"}) are followed up to {@value #MAX_PAGES} pages on the same registry.
 */
final class ReferrersLister {
  static final int MAX_PAGES = 16;
  private static final Set<Integer> UNSUPPORTED = Set.of(400, 404, 406);

  private final RegistryCaller caller;
  private final long maxBytes;

  /**
   * Registries whose referrers endpoint does not exist at all, remembered for the life of this
   * client (one scan) so that every further digest goes straight to the fallback tag: one request
   * saved per digest. Only a route-level 404 (not an OCI error body such as NAME_UNKNOWN, which a
   * registry that has the API sends for a missing repository) is remembered: wrongly skipping the
   * API would hide cosign v3 bundles.
   */
  private final Map<String, String> unsupportedRegistries = new ConcurrentHashMap<>();

  ReferrersLister(RegistryCaller caller, long maxBytes) {
    this.caller = caller;
    this.maxBytes = maxBytes;
  }

  private static boolean looksLikeOciError(Response r) {
    String type = MediaTypes.essence(r.header("Content-Type").orElse(null));
    String body =
        new String(r.body(), 0, Math.min(r.body().length, 64), StandardCharsets.UTF_8).strip();
    return "application/json".equals(type) || body.startsWith("{");
  }

  ReferrersAnswer list(ImageRef repo, Digest subject) throws RegistryException {
    String known = unsupportedRegistries.get(repo.registry());
    if (known != null) {
      return new ReferrersAnswer.Unsupported(known + " (remembered for this registry)");
    }
    CallContext ctx =
        CallContext.of(Endpoint.REFERRERS, repo.registry(), repo.name() + "@" + subject);
    URI first = caller.hosts().v2(repo, "referrers/" + subject);
    Set<Integer> accepted = new HashSet<>(UNSUPPORTED);
    accepted.add(200);
    Response r = caller.expect(call(ctx, repo, first), accepted);
    if (r.status() != 200) {
      String reason = "referrers API answered " + StatusText.of(r.status());
      if (r.status() == 404 && !looksLikeOciError(r)) {
        unsupportedRegistries.put(repo.registry(), reason);
      }
      return new ReferrersAnswer.Unsupported(reason);
    }
    String type = MediaTypes.essence(r.header("Content-Type").orElse(null));
    if (!MediaTypes.OCI_INDEX.equals(type)) {
      return new ReferrersAnswer.Unsupported(
          "referrers API answered 200 with Content-Type " + Untrusted.text(type, 80));
    }
    List<Descriptor> all = new ArrayList<>(parse(ctx, r).manifests());
    Set<URI> seen = new HashSet<>(Set.of(first));
    for (Optional<URI> next = next(ctx, r, first); next.isPresent(); next = next(ctx, r, first)) {
      if (!seen.add(next.get()) || seen.size() > MAX_PAGES) {
        throw ctx.fail(
            Kind.INVALID_RESPONSE, "referrers pagination loops or exceeds " + MAX_PAGES + " pages");
      }
      r = caller.expect(call(ctx, repo, next.get()), Set.of(200));
      if (!MediaTypes.OCI_INDEX.equals(MediaTypes.essence(r.header("Content-Type").orElse(null)))) {
        throw ctx.fail(Kind.INVALID_RESPONSE, "referrers page is not an OCI index");
      }
      all.addAll(parse(ctx, r).manifests());
    }
    return new ReferrersAnswer.Supported(all);
  }

  private RegistryCaller.Call call(CallContext ctx, ImageRef repo, URI uri) {
    return new RegistryCaller.Call(ctx, repo, "GET", uri, MediaTypes.OCI_INDEX, maxBytes);
  }

  private static ImageIndex parse(CallContext ctx, Response r) throws RegistryException {
    try {
      return ManifestParser.parseIndex(r.body());
    } catch (ManifestParser.Malformed e) {
      throw ctx.fail(Kind.INVALID_RESPONSE, e.getMessage());
    }
  }

  private static Optional<URI> next(CallContext ctx, Response r, URI first)
      throws RegistryException {
    try {
      return NextPage.of(r, first);
    } catch (NextPage.Refused e) {
      throw ctx.fail(
          Kind.INVALID_RESPONSE,
          switch (e.problem()) {
            case MALFORMED -> "malformed Link header";
            case OTHER_HOST -> "referrers Link points to another host";
          });
    }
  }
}
