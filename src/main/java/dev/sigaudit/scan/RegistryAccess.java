package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The scan's view of registries: signature lookups and tag resolution, under the credentials of the
 * containers that need them.
 *
 * <p>Containers are grouped into <em>credential scopes</em>: all containers of one scope may use
 * the same registry credentials (with pull secrets, a scope is a namespace and its list of
 * secrets). A digest is looked up once per scope, so one tenant's pull secret never answers for
 * another tenant's Pod.
 */
public interface RegistryAccess extends AutoCloseable {

  /** Called once with the inventory before any lookup (e.g. to read pull secrets). */
  default void prepare(List<RunningContainer> containers) {}

  /** Problems met while preparing (an unreadable pull secret…), for the scan's problem list. */
  default List<String> warnings() {
    return List.of();
  }

  /** The credential scope of {@code c}; {@code ""} when every container shares one. */
  String scopeOf(RunningContainer c);

  /**
   * Looks up the signatures of {@code digest}.
   *
   * @param bundlesSuffice told the bundles found first; {@code true} skips the legacy lookup
   * @return what was found; never throws for registry problems ({@link Discovery.Failed})
   */
  Discovery find(
      ImageRef repository,
      Digest digest,
      String scope,
      Predicate<List<SignatureCandidate>> bundlesSuffice);

  /**
   * Resolves a tag to the digest it points at now.
   *
   * @throws TagResolutionException with the registry's answer when it cannot
   */
  Digest resolve(ImageRef image, String scope) throws TagResolutionException;

  /**
   * The config digests (what a container runtime calls the image ID) of the image {@code image}
   * names by digest: one for an image manifest, one per platform for an index.
   *
   * @throws TagResolutionException with the registry's answer when it cannot say
   */
  Set<Digest> configDigests(ImageRef image, String scope) throws TagResolutionException;

  /**
   * Why the image {@code image} (named by digest) cannot be read from its registry, or empty when
   * it can: one manifest request. The registry may have deleted a digest a Pod still runs; an
   * engine that reads the image itself before judging it (Kyverno's ImageValidatingPolicy) then
   * errors.
   */
  Optional<String> unreadableImage(ImageRef image, String scope);

  /**
   * The current signature state of {@code digest} on {@code routes} (see {@link SignatureState}),
   * or empty when the registry could not say.
   *
   * @param before the state a previous scan saw: only which requests are sent may depend on it (a
   *     tag absent then is first looked for in the repository's tag list), never the answer
   */
  Optional<SignatureState> state(
      ImageRef repository,
      Digest digest,
      String scope,
      Set<SignatureRoute> routes,
      SignatureState before);

  /** Registry requests sent so far (all scopes). */
  long requests();

  /** The sequential round trips each signature lookup took so far ({@link RoundTrips}). */
  default RoundTrips roundTrips() {
    return RoundTrips.NONE;
  }

  @Override
  default void close() {}

  /** A tag could not be resolved; the message says why. */
  final class TagResolutionException extends Exception {
    private static final long serialVersionUID = 1L;

    public TagResolutionException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
