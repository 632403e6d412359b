package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import java.util.Set;

/**
 * {@code GET /v2/<name>/blobs/<digest>} (<a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs">distribution
 * spec: pulling blobs</a>), size-limited and digest-checked. Registries often answer with a
 * redirect to object storage; {@link RegistryCaller} follows it without our credentials.
 */
final class BlobPuller {
  private final RegistryCaller caller;

  BlobPuller(RegistryCaller caller) {
    this.caller = caller;
  }

  byte[] fetch(ImageRef repo, Digest digest, long maxBytes) throws RegistryException {
    CallContext ctx = CallContext.of(Endpoint.BLOB, repo.registry(), repo.name() + "@" + digest);
    RegistryCaller.Call call =
        new RegistryCaller.Call(
            ctx, repo, "GET", caller.hosts().v2(repo, "blobs/" + digest), null, maxBytes);
    byte[] body = caller.expect(call, Set.of(200)).body();
    if (!digest.matches(body)) {
      throw ctx.fail(
          Kind.INVALID_RESPONSE,
          "content does not match the requested digest (got "
              + Digest.sha256(body)
              + ", "
              + body.length
              + " bytes)");
    }
    return body;
  }
}
