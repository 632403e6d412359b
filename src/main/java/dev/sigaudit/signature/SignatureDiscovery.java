package dev.sigaudit.signature;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.registry.OciSource;
import dev.sigaudit.registry.ReferrersAnswer;
import dev.sigaudit.registry.RegistryException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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
   * route, the routes at once (one round trip, not one per route): the referrers API (or a HEAD of
   * the fallback tag), a HEAD of the {@code .sig} tag. No signature is downloaded.
   */
  public SignatureState state(ImageRef repo, Digest digest, Set<SignatureRoute> routes)
      throws RegistryException {
    return state(repo, digest, routes, new SignatureState(Map.of()));
  }

  /**
   * Like {@link #state(ImageRef, Digest, Set)}, told the state a previous scan saw. A tag that was
   * {@code absent} then is first looked for in the repository's tag list, read once per scan for
   * all of its digests: a complete list without the tag proves it still absent, so an unchanged
   * unsigned digest costs no request of its own. A listed tag is still HEADed (its content may have
   * changed), and a list that could not be read changes nothing: the tag is HEADed. Only the
   * requests depend on {@code before}, never the state returned.
   */
  public SignatureState state(
      ImageRef repo, Digest digest, Set<SignatureRoute> routes, SignatureState before)
      throws RegistryException {
    Map<SignatureRoute, FutureTask<String>> asked = new EnumMap<>(SignatureRoute.class);
    for (SignatureRoute route : routes) {
      boolean absentBefore = before.token(route).filter(SignatureState.ABSENT::equals).isPresent();
      asked.put(route, new FutureTask<>(() -> token(route, repo, digest, absentBefore)));
    }
    // All but the first on threads of their own; the first on this one.
    asked.values().stream().skip(1).forEach(t -> Thread.ofVirtual().start(t));
    asked.values().stream().findFirst().ifPresent(FutureTask::run);
    Map<SignatureRoute, String> tokens = SignatureState.none();
    try {
      for (var e : asked.entrySet()) {
        tokens.put(e.getKey(), e.getValue().get());
      }
    } catch (InterruptedException e) {
      asked.values().forEach(t -> t.cancel(true));
      Thread.currentThread().interrupt();
      throw new RegistryException(
          RegistryException.Kind.INTERRUPTED,
          "reading the signature state of " + repo.name() + "@" + digest + " failed: interrupted");
    } catch (ExecutionException e) {
      asked.values().forEach(t -> t.cancel(true));
      if (e.getCause() instanceof RegistryException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
    return new SignatureState(tokens);
  }

  private String token(SignatureRoute route, ImageRef repo, Digest digest, boolean absentBefore)
      throws RegistryException {
    return switch (route) {
      case REFERRERS ->
          source.referrers(repo, digest) instanceof ReferrersAnswer.Supported s
              ? BundleSignatures.apiState(s.manifests())
              : headState("tag:", repo, CosignFormats.referrersTag(digest), absentBefore);
      case LEGACY_TAG -> headState("sig:", repo, CosignFormats.legacyTag(digest), absentBefore);
    };
  }

  private String headState(String prefix, ImageRef repo, String tag, boolean absentBefore)
      throws RegistryException {
    // Only for a tag absent before: for a present one the list would be a request more, as the
    // tag's content must be read anyway.
    if (absentBefore && source.tags(repo).lists(tag).equals(Optional.of(false))) {
      return SignatureState.ABSENT;
    }
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
    return discover(signatureRepo, digest, enough, Order.BUNDLES_FIRST);
  }

  /**
   * How the two routes are read. Either way the result is the same — bundles first, the {@code
   * .sig} route's findings dropped when {@code enough} accepts the bundles — only the requests and
   * their timing differ.
   */
  public enum Order {
    /**
     * The {@code .sig} lookup only after the bundles did not suffice: one request fewer for a
     * digest signed with bundles, one round trip more for any other.
     */
    BUNDLES_FIRST,
    /**
     * Both routes at once: a digest signed the legacy way or not at all costs one sequential round
     * trip less (at 50 ms from the registry, that is the scan's speed); a digest whose bundles
     * suffice has read its {@code .sig} tag for nothing.
     */
    TOGETHER
  }

  /** Like {@link #discover(ImageRef, Digest, Predicate)}, reading the routes in {@code order}. */
  public Discovery discover(
      ImageRef signatureRepo,
      Digest digest,
      Predicate<List<SignatureCandidate>> enough,
      Order order) {
    FutureTask<Route> legacyRoute =
        new FutureTask<>(() -> Route.read(out -> legacy.discover(signatureRepo, digest, out)));
    if (order == Order.TOGETHER) {
      Thread.ofVirtual().name("sigaudit-sig-route").start(legacyRoute);
    }
    Route bundleRoute = Route.read(out -> bundles.discover(signatureRepo, digest, out));
    Findings out = bundleRoute.findings();
    RegistryException failure = bundleRoute.failure();
    boolean settled =
        failure == null && !out.candidates.isEmpty() && enough.test(List.copyOf(out.candidates));
    if (settled && order == Order.BUNDLES_FIRST) {
      return new Discovery.Found(out.candidates, out.notes, state(out));
    }
    if (order == Order.BUNDLES_FIRST) {
      legacyRoute.run();
    }
    // Read together, the .sig route is awaited even when the bundles settled it (its answer is
    // then dropped): the requests a lookup sends, and the scan's request count, must not depend on
    // which answer came first. It is the shorter route, so this costs no time.
    Route legacyAnswer;
    try {
      legacyAnswer = legacyRoute.get();
    } catch (InterruptedException e) {
      legacyRoute.cancel(true);
      Thread.currentThread().interrupt();
      return Discovery.Failed.of("interrupted while looking up " + signatureRepo.name());
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading the .sig route failed", e.getCause());
    }
    if (settled) {
      return new Discovery.Found(out.candidates, out.notes, state(out));
    }
    out.merge(legacyAnswer.findings());
    RegistryException legacyFailure = legacyAnswer.failure();
    if (legacyFailure != null) {
      if (failure == null) {
        failure = legacyFailure;
      } else {
        out.note("also: " + legacyFailure.getMessage());
      }
    }
    return failure == null
        ? new Discovery.Found(out.candidates, out.notes, state(out))
        : Discovery.Failed.of(failure, out.candidates, out.notes);
  }

  /** What one route found, and the registry failure that stopped it, if any. */
  private record Route(Findings findings, RegistryException failure) {
    interface Reader {
      void read(Findings out) throws RegistryException;
    }

    static Route read(Reader reader) {
      Findings out = new Findings();
      try {
        reader.read(out);
        return new Route(out, null);
      } catch (RegistryException e) {
        return new Route(out, e);
      }
    }
  }
}
