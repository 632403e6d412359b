package dev.sigaudit.signature;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.registry.OciSource;
import dev.sigaudit.registry.ReferrersAnswer;
import dev.sigaudit.registry.RegistryException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds every cosign signature of an image digest, in both storage formats: Sigstore bundles as OCI
 * 1.1 referrers (referrers API, else the fallback tag) and legacy {@code .sig} manifests. Like
 * {@code cosign verify} it looks at bundles first, but unlike cosign it always collects both, so a
 * report can say which formats exist.
 *
 * <p>Cost for an unsigned digest: 3 requests on a registry without the referrers API (referrers
 * 404, fallback tag 404, {@code .sig} 404), 2 with it; more only when something is there.
 *
 * <p>Never throws for registry problems and never reports them as "unsigned": a failure of either
 * route makes the result {@link Discovery.Failed}, keeping whatever the other route found.
 * Thread-safe if the {@link OciSource} is.
 */
public final class SignatureDiscovery {
  private final OciSource source;
  private final BundleSignatures bundles;
  private final LegacySignatures legacy;

  public SignatureDiscovery(OciSource source) {
    this(source, DiscoveryLimits.DEFAULT);
  }

  public SignatureDiscovery(OciSource source, DiscoveryLimits limits) {
    Objects.requireNonNull(source);
    Objects.requireNonNull(limits);
    this.source = source;
    this.bundles = new BundleSignatures(source, limits);
    this.legacy = new LegacySignatures(source, limits);
  }

  /**
   * @param signatureRepo where signatures are stored: the image's own repository, or a separate one
   *     (cosign's {@code COSIGN_REPOSITORY}, a policy's signature repository); tag and digest of
   *     this reference are ignored
   * @param digest the image manifest digest the signatures must be for
   */
  public Discovery discover(ImageRef signatureRepo, Digest digest) {
    return discover(signatureRepo, digest, bundles -> false);
  }

  private static SignatureState state(Findings out) {
    return new SignatureState(out.tokens);
  }

  /**
   * The current {@link SignatureState} of {@code digest} on {@code routes}, with one request per
   * route: the referrers API (or a HEAD of the fallback tag), a HEAD of the {@code .sig} tag. No
   * signature is downloaded.
   */
  public SignatureState state(ImageRef repo, Digest digest, Set<SignatureRoute> routes)
      throws RegistryException {
    Map<SignatureRoute, String> tokens = SignatureState.none();
    for (SignatureRoute route : routes) {
      tokens.put(
          route,
          switch (route) {
            case REFERRERS ->
                source.referrers(repo, digest) instanceof ReferrersAnswer.Supported s
                    ? BundleSignatures.apiState(s.manifests())
                    : headState("tag:", repo, CosignFormats.referrersTag(digest));
            case LEGACY_TAG -> headState("sig:", repo, CosignFormats.legacyTag(digest));
          });
    }
    return new SignatureState(tokens);
  }

  private String headState(String prefix, ImageRef repo, String tag) throws RegistryException {
    try {
      return prefix + source.resolveTag(repo.atTag(tag));
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        return SignatureState.ABSENT;
      }
      throw e;
    }
  }

  /**
   * Like {@link #discover(ImageRef, Digest)}, but stops after the bundles when {@code enough} says
   * they already settle the question (the caller verified one for every key it needs): the legacy
   * {@code .sig} lookup would cost a request and could not change a pass. cosign verify also stops
   * at the first format that verifies.
   */
  public Discovery discover(
      ImageRef signatureRepo, Digest digest, Predicate<List<SignatureCandidate>> enough) {
    Findings out = new Findings();
    RegistryException failure = null;
    try {
      bundles.discover(signatureRepo, digest, out);
    } catch (RegistryException e) {
      failure = e;
    }
    if (failure == null && !out.candidates.isEmpty() && enough.test(List.copyOf(out.candidates))) {
      return new Discovery.Found(out.candidates, out.notes, state(out));
    }
    try {
      legacy.discover(signatureRepo, digest, out);
    } catch (RegistryException e) {
      if (failure == null) {
        failure = e;
      } else {
        out.note("also: " + e.getMessage());
      }
    }
    return failure == null
        ? new Discovery.Found(out.candidates, out.notes, state(out))
        : Discovery.Failed.of(failure, out.candidates, out.notes);
  }
}
