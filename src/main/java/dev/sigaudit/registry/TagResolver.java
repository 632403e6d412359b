package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import java.util.Optional;

/**
 * Tag → digest. {@code HEAD} first: it returns {@code Docker-Content-Digest} without a body, and
 * Docker Hub does not count HEADs against the pull rate limit. When the HEAD answer carries no
 * usable digest (some registries and proxies omit it, some refuse HEAD) the manifest is fetched and
 * hashed.
 */
final class TagResolver {
  private final RegistryCaller caller;
  private final ManifestPuller manifests;

  TagResolver(RegistryCaller caller, ManifestPuller manifests) {
    this.caller = caller;
    this.manifests = manifests;
  }

  Digest resolve(ImageRef ref) throws RegistryException {
    if (ref.digest() != null) {
      return ref.digest();
    }
    String tag = ref.tagOpt().orElse("latest");
    CallContext ctx =
        CallContext.of(Endpoint.MANIFEST_HEAD, ref.registry(), ref.name() + ":" + tag);
    Response head =
        caller.send(
            new RegistryCaller.Call(
                ctx,
                ref,
                "HEAD",
                caller.hosts().v2(ref, "manifests/" + tag),
                MediaTypes.MANIFEST_ACCEPT,
                0));
    if (head.isSuccess()) {
      Optional<Digest> digest = head.header("Docker-Content-Digest").flatMap(TagResolver::parse);
      if (digest.isPresent()) {
        return digest.get();
      }
    } else if (head.status() != 405 && head.status() != 400) {
      throw ctx.failure(head, "");
    }
    return manifests
        .byTag(ref, tag)
        .map(Manifest::digest)
        .orElseThrow(() -> ctx.fail(Kind.NOT_FOUND, "404 Not Found (tag disappeared)", 404, null));
  }

  private static Optional<Digest> parse(String header) {
    try {
      return Optional.of(Digest.parse(header.trim()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
