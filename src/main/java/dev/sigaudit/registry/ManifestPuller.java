package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v2/<name>/manifests/<reference>} (<a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">distribution
 * spec: pulling manifests</a>).
 *
 * <p>A manifest fetched by digest is verified against that digest; one fetched by tag gets its
 * digest from its bytes, cross-checked with {@code Docker-Content-Digest} when the registry sends
 * it. Content that fails either check is never returned.
 */
final class ManifestPuller {
  private final RegistryCaller caller;
  private final long maxBytes;

  ManifestPuller(RegistryCaller caller, long maxBytes) {
    this.caller = caller;
    this.maxBytes = maxBytes;
  }

  Manifest byDigest(ImageRef repo, Digest digest) throws RegistryException {
    CallContext ctx =
        CallContext.of(Endpoint.MANIFEST, repo.registry(), repo.name() + "@" + digest);
    Response r = caller.expect(call(ctx, repo, digest.toString()), Set.of(200));
    if (!digest.matches(r.body())) {
      throw ctx.fail(
          Kind.INVALID_RESPONSE,
          "content does not match the requested digest (got "
              + Digest.sha256(r.body())
              + ", "
              + r.body().length
              + " bytes)");
    }
    return parse(ctx, r, digest);
  }

  Optional<Manifest> byTag(ImageRef repo, String tag) throws RegistryException {
    ImageRef tagged = repo.atTag(tag); // validates the tag before it goes into a URL
    CallContext ctx = CallContext.of(Endpoint.MANIFEST, repo.registry(), tagged.toString());
    Response r = caller.expect(call(ctx, repo, tag), Set.of(200, 404));
    if (r.status() == 404) {
      return Optional.empty();
    }
    byte[] body = r.body();
    Optional<String> header = r.header("Docker-Content-Digest");
    if (header.isPresent()) {
      Digest claimed;
      try {
        claimed = Digest.parse(header.get().trim());
      } catch (IllegalArgumentException e) {
        throw ctx.fail(Kind.INVALID_RESPONSE, "malformed Docker-Content-Digest header");
      }
      if (!claimed.matches(body)) {
        throw ctx.fail(
            Kind.INVALID_RESPONSE,
            "Docker-Content-Digest "
                + claimed
                + " does not match the content ("
                + Digest.sha256(body)
                + ")");
      }
    }
    return Optional.of(parse(ctx, r, Digest.sha256(body)));
  }

  RegistryCaller.Call call(CallContext ctx, ImageRef repo, String reference) {
    return new RegistryCaller.Call(
        ctx,
        repo,
        "GET",
        caller.hosts().v2(repo, "manifests/" + reference),
        MediaTypes.MANIFEST_ACCEPT,
        maxBytes);
  }

  private static Manifest parse(CallContext ctx, Response r, Digest digest)
      throws RegistryException {
    try {
      return ManifestParser.parse(r.body(), r.header("Content-Type").orElse(null), digest);
    } catch (ManifestParser.Malformed e) {
      throw ctx.fail(Kind.INVALID_RESPONSE, e.getMessage());
    }
  }
}
